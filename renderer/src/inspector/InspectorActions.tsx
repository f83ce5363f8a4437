import { useState } from 'react';
import { tapDestination, type RecordingView, type TapRow } from '../../../contract/hostContract.js';
import { formatBytes, formatCount } from '../ui/format.js';
import { IconDownload, IconRecord, IconStop } from '../ui/icons.js';
import { exportRows, type ExportFormat } from './exportRows.js';

function download(parts: string[], name: string, type: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Export what the list holds now (the current filter's rows) as JSON lines or CSV. */
export function ExportButtons({ rows }: { rows: readonly TapRow[] }) {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const run = async (format: ExportFormat): Promise<void> => {
    setProgress({ done: 0, total: rows.length });
    try {
      const snapshot = rows.slice();
      const parts = await exportRows(snapshot, format, tapDestination, (done, total) =>
        setProgress({ done, total }),
      );
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      download(
        parts,
        `smq-tap-${stamp}.${format === 'csv' ? 'csv' : 'jsonl'}`,
        format === 'csv' ? 'text/csv' : 'application/x-ndjson',
      );
    } finally {
      setProgress(null);
    }
  };
  if (progress)
    return (
      <span className="export-progress" role="status">
        Exporting <progress max={progress.total || 1} value={progress.done} /> {formatCount(progress.done)} /{' '}
        {formatCount(progress.total)}
      </span>
    );
  return (
    <>
      <button type="button" className="btn" disabled={rows.length === 0} onClick={() => void run('jsonl')}>
        <IconDownload /> JSON lines
      </button>
      <button type="button" className="btn" disabled={rows.length === 0} onClick={() => void run('csv')}>
        <IconDownload /> CSV
      </button>
    </>
  );
}

/** Start/stop recording on the host; while it runs, what it wrote so far. */
export function RecordButton({
  recording,
  onRecord,
}: {
  recording: RecordingView | null;
  onRecord: (on: boolean) => void;
}) {
  const on = recording?.state === 'recording';
  return (
    <>
      <button
        type="button"
        className={on ? 'btn btn-danger' : 'btn'}
        aria-pressed={on}
        onClick={() => onRecord(!on)}
        title="Record every tapped message that matches the filter to a JSON-lines file on this computer"
      >
        {on ? <IconStop /> : <IconRecord />} {on ? 'Stop recording' : 'Record'}
      </button>
      {recording && (
        <span className="muted small recording-status" role="status">
          {on ? 'Recording' : 'Recorded'} {formatCount(recording.rows)} rows, {formatBytes(recording.bytes)}
          {recording.skipped > 0 && `, ${formatCount(recording.skipped)} skipped`}
          {!on && (
            <>
              {' '}
              ·{' '}
              <a href={recording.downloadPath} download>
                download
              </a>
            </>
          )}
        </span>
      )}
    </>
  );
}
