import { useRef, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';

/**
 * A virtualized table body (TanStack Virtual): only the rows in view are in the DOM, so a fleet of
 * thousands of devices or clients scrolls as smoothly as four. Columns come from the CSS grid
 * template the caller names in `className`.
 */
export function VirtualRows<T>({
  rows,
  rowKey,
  renderRow,
  rowHeight = 38,
  label,
  header,
  className,
}: {
  rows: T[];
  rowKey: (row: T) => string;
  renderRow: (row: T) => ReactNode;
  rowHeight?: number;
  label: string;
  header: ReactNode;
  className: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    getItemKey: (i) => rowKey(rows[i]!),
  });
  return (
    <div className={`vtable ${className}`} role="table" aria-label={label} aria-rowcount={rows.length + 1}>
      <div className="vtable-head" role="rowgroup">
        <div className="vtable-row" role="row" aria-rowindex={1}>
          {header}
        </div>
      </div>
      <div className="vtable-scroll" ref={scrollRef} role="rowgroup">
        <div className="vtable-sizer" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => (
            <div
              key={item.key}
              className="vtable-row"
              role="row"
              aria-rowindex={item.index + 2}
              style={{ height: item.size, transform: `translateY(${item.start}px)` }}
            >
              {renderRow(rows[item.index]!)}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
