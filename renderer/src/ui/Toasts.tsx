import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { describeError } from './errors.js';
import { IconClose } from './icons.js';

export type Tone = 'error' | 'info' | 'success';

export interface ToastInput {
  tone: Tone;
  title: string;
  message?: string;
  code?: string;
}

interface Toast extends ToastInput {
  id: number;
}

interface ToastApi {
  notify(toast: ToastInput): void;
  /** Runs an action; a failure becomes an error toast with its code. Resolves undefined then. */
  run<T>(label: string, action: () => Promise<T>): Promise<T | undefined>;
}

const ToastContext = createContext<ToastApi | null>(null);

export function useToasts(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error('useToasts outside ToastProvider');
  return api;
}

/** Errors stay until dismissed (a user may be looking elsewhere); other toasts leave after 4 s. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);

  const notify = useCallback(
    (t: ToastInput) => {
      const id = nextId.current++;
      setToasts((ts) => [...ts.slice(-4), { ...t, id }]);
      if (t.tone !== 'error') setTimeout(() => dismiss(id), 4000);
    },
    [dismiss],
  );

  const run = useCallback(
    async <T,>(label: string, action: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await action();
      } catch (e) {
        const { code, message } = describeError(e);
        notify({ tone: 'error', title: `${label} failed`, code, message });
        return undefined;
      }
    },
    [notify],
  );

  const api = useMemo(() => ({ notify, run }), [notify, run]);

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" role="region" aria-label="Notifications" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone}`} role={t.tone === 'error' ? 'alert' : 'status'}>
            <div className="toast-body">
              <div className="toast-title">{t.title}</div>
              {(t.code || t.message) && (
                <div className="toast-message">
                  {t.code && <code>{t.code}</code>}
                  {t.message}
                </div>
              )}
            </div>
            <button
              type="button"
              className="icon-button"
              aria-label="Dismiss notification"
              onClick={() => dismiss(t.id)}
            >
              <IconClose />
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
