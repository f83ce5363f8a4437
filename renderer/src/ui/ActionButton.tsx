import { useState, type ReactNode } from 'react';
import { useToasts } from './Toasts.js';

interface ActionButtonProps {
  /** Names the action in the error toast ("Kill n2"). */
  action: string;
  run: () => Promise<unknown>;
  children: ReactNode;
  variant?: 'primary' | 'danger' | 'default' | 'ghost';
  disabled?: boolean;
  title?: string;
  ariaLabel?: string;
  className?: string;
  testId?: string;
}

/**
 * A button that runs a host command: inert while it runs, failures become error toasts. While busy
 * it is aria-disabled rather than disabled: a disabled button drops keyboard focus to the page.
 */
export function ActionButton({
  action,
  run,
  children,
  variant = 'default',
  disabled,
  title,
  ariaLabel,
  className,
  testId,
}: ActionButtonProps) {
  const { run: guard } = useToasts();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className={`btn btn-${variant}${className ? ` ${className}` : ''}`}
      disabled={disabled}
      aria-disabled={busy || undefined}
      aria-busy={busy || undefined}
      title={title}
      aria-label={ariaLabel}
      data-testid={testId}
      onClick={async () => {
        if (busy) return;
        setBusy(true);
        try {
          await guard(action, run);
        } finally {
          setBusy(false);
        }
      }}
    >
      {children}
    </button>
  );
}
