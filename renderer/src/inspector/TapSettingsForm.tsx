import { useState, type FormEvent } from 'react';
import type { TapSettings } from '../../../contract/hostContract.js';
import { formatBytes, formatCount } from '../ui/format.js';

const MIB = 1 << 20;

/** The capture limit and the host ring's budgets (cluster-wide), in a collapsible form. */
export function TapSettingsForm({
  settings,
  onApply,
}: {
  settings: TapSettings | null;
  onApply: (change: Partial<TapSettings>) => void;
}) {
  const [draft, setDraft] = useState<Record<keyof TapSettings, string> | null>(null);
  if (!settings) return null;
  const shown = draft ?? {
    captureBytes: String(settings.captureBytes),
    ringRows: String(settings.ringRows),
    ringBytes: String(settings.ringBytes / MIB),
  };
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    onApply({
      captureBytes: Number(shown.captureBytes),
      ringRows: Number(shown.ringRows),
      ringBytes: Math.round(Number(shown.ringBytes) * MIB),
    });
    setDraft(null);
  };
  const field = (key: keyof TapSettings, label: string, unit: string, min: number, max: number) => (
    <label className="field field-inline">
      {label}
      <input
        type="number"
        min={min}
        max={max}
        value={shown[key]}
        onChange={(e) => setDraft({ ...shown, [key]: e.target.value })}
      />
      <span className="muted small">{unit}</span>
    </label>
  );
  return (
    <details className="tap-settings">
      <summary className="btn">
        Capture {formatBytes(settings.captureBytes)} · buffer {formatCount(settings.ringRows)} rows
      </summary>
      <form className="tap-settings-form" aria-label="Tap settings" onSubmit={submit}>
        {field('captureBytes', 'Payload kept per message', 'bytes', 0, 65536)}
        {field('ringRows', 'Host buffer length', 'rows', 100, 1_000_000)}
        {field('ringBytes', 'Host buffer memory', 'MiB', 1, 1024)}
        <button type="submit" className="btn btn-primary" disabled={draft === null}>
          Apply
        </button>
      </form>
    </details>
  );
}
