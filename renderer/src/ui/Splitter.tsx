import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

interface SplitterProps {
  /** 'vertical': a bar between left and right panes (moves sideways); 'horizontal': between rows. */
  orientation: 'vertical' | 'horizontal';
  /** The size of the pane this bar resizes, px. */
  value: number;
  min: number;
  max: number;
  /** +1 when moving the bar right/down grows the pane, -1 when it shrinks it (a pane on the right). */
  direction: 1 | -1;
  label: string;
  controls: string;
  /** `done` is true once a drag ends or a key was pressed: the moment to remember the size. */
  onChange: (value: number, done: boolean) => void;
}

const STEP = 16;

/** A resize bar: drag it, or focus it and use the arrow keys (Shift for bigger steps), Home, End. */
export function Splitter({
  orientation,
  value,
  min,
  max,
  direction,
  label,
  controls,
  onChange,
}: SplitterProps) {
  const drag = useRef<{ start: number; value: number } | null>(null);
  const clamp = (v: number): number => Math.round(Math.min(max, Math.max(min, v)));
  const pos = (e: PointerEvent): number => (orientation === 'vertical' ? e.clientX : e.clientY);

  const onKeyDown = (e: KeyboardEvent): void => {
    const step = e.shiftKey ? STEP * 4 : STEP;
    const [less, more] = orientation === 'vertical' ? ['ArrowLeft', 'ArrowRight'] : ['ArrowUp', 'ArrowDown'];
    let next: number | null = null;
    if (e.key === less) next = value - step * direction;
    else if (e.key === more) next = value + step * direction;
    else if (e.key === 'Home') next = min;
    else if (e.key === 'End') next = max;
    if (next === null) return;
    e.preventDefault();
    onChange(clamp(next), true);
  };

  return (
    <div
      className={`splitter splitter-${orientation}`}
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      aria-controls={controls}
      aria-valuenow={Math.round(value)}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { start: pos(e), value };
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (d) onChange(clamp(d.value + (pos(e) - d.start) * direction), false);
      }}
      onPointerUp={(e) => {
        const d = drag.current;
        drag.current = null;
        if (d) onChange(clamp(d.value + (pos(e) - d.start) * direction), true);
      }}
      onPointerCancel={() => (drag.current = null)}
    />
  );
}
