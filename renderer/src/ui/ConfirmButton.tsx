import { useEffect, useState, type ReactNode } from 'react';
import { ActionButton } from './ActionButton.js';

/**
 * For actions that cannot be undone: the first press arms the button, a second press within four
 * seconds runs the action. No modal dialog, so keyboard and screen readers follow the same path.
 */
export function ConfirmButton({
  action,
  run,
  children,
  confirmLabel,
  ariaLabel,
}: {
  action: string;
  run: () => Promise<unknown>;
  children: ReactNode;
  confirmLabel: string;
  ariaLabel?: string;
}) {
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    if (!armed) return;
    const t = setTimeout(() => setArmed(false), 4000);
    return () => clearTimeout(t);
  }, [armed]);
  if (!armed) {
    return (
      <button type="button" className="btn btn-ghost" onClick={() => setArmed(true)} aria-label={ariaLabel}>
        {children}
      </button>
    );
  }
  return (
    <ActionButton action={action} run={run} variant="danger" className="armed">
      {confirmLabel}
    </ActionButton>
  );
}
