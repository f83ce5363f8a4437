import { etidHex, tapRowIds, type TapRow } from '../../../contract/hostContract.js';
import { base64Bytes, payloadText } from './payloadView.js';

export type ExportFormat = 'jsonl' | 'csv';

/**
 * Columns of a CSV export, in order; the payload goes last (text when UTF-8, else base64). Ids as
 * every view shows them: `dest` (a TID or an ETID) and `publisherEtid` in hex, uids as colon hex.
 */
export const CSV_COLUMNS = [
  'seq',
  'time',
  'kind',
  'node',
  'via',
  'destination',
  'dest',
  'destUid',
  'subtopic',
  'publisherEtid',
  'publisherUid',
  'receivers',
  'dropped',
  'size',
  'truncated',
  'reason',
  'detail',
  'info',
  'peer',
  'payloadEncoding',
  'payload',
] as const;

/** RFC 4180: quote a field when it holds a comma, quote, CR or LF; double inner quotes. */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function payloadOf(row: TapRow): { encoding: 'text' | 'base64'; value: string } {
  const text = payloadText(base64Bytes(row.payload), row.truncated);
  return text === null ? { encoding: 'base64', value: row.payload } : { encoding: 'text', value: text };
}

export function csvLine(row: TapRow, destination: string): string {
  const p = payloadOf(row);
  const cells = [
    row.seq,
    new Date(row.timeMs).toISOString(),
    row.kind,
    row.nodeId,
    row.via,
    destination,
    etidHex(row.dest),
    row.destUid,
    row.subtopic,
    etidHex(row.etid),
    row.uid,
    row.receivers,
    row.dropped,
    row.size,
    row.truncated,
    row.reason,
    row.detail,
    row.info,
    row.peer,
    p.encoding,
    p.value,
  ];
  return `${cells.map(csvField).join(',')}\r\n`;
}

export function jsonLine(row: TapRow): string {
  const { payload, ...rest } = row;
  const p = payloadOf(row);
  return `${JSON.stringify({ ...rest, ...tapRowIds(row), time: new Date(row.timeMs).toISOString(), ...(p.encoding === 'text' ? { payloadText: p.value } : { payloadBase64: payload }) })}\n`;
}

/**
 * Builds an export in slices, yielding to the page between them so a long export shows progress
 * and never freezes the UI. Resolves to the file's parts (for a Blob).
 */
export async function exportRows(
  rows: readonly TapRow[],
  format: ExportFormat,
  destination: (row: TapRow) => string,
  onProgress: (done: number, total: number) => void,
  slice = 2000,
): Promise<string[]> {
  const parts: string[] = format === 'csv' ? [`${CSV_COLUMNS.join(',')}\r\n`] : [];
  for (let i = 0; i < rows.length; i += slice) {
    let chunk = '';
    for (const row of rows.slice(i, i + slice))
      chunk += format === 'csv' ? csvLine(row, destination(row)) : jsonLine(row);
    parts.push(chunk);
    onProgress(Math.min(i + slice, rows.length), rows.length);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  if (rows.length === 0) onProgress(0, 0);
  return parts;
}
