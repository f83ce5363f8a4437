import type { LedView } from '../../../contract/hostContract.js';

/** LED state as coloured dots (read-only), each with a text label for screen readers. */
export function LedDots({ leds }: { leds: LedView[] }) {
  return (
    <span className="led-dots">
      {leds.map((l) => (
        <span
          key={l.id}
          className={`led-dot led-${l.color}${l.on ? ' on' : ''}`}
          role="img"
          aria-label={`${l.name} ${l.color} ${l.on ? 'on' : 'off'}`}
          title={`${l.name} (${l.color}) ${l.on ? 'on' : 'off'}`}
          data-on={l.on}
        />
      ))}
    </span>
  );
}
