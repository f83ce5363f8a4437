import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { RecordingView, TapFilter, TapRow } from '../../../contract/hostContract.js';
import { tapRowIds, toHostError } from '../../../contract/hostContract.js';
import type { TapRing } from './TapRing.js';
import { tapPredicate } from './tapFilter.js';

/** Bytes the file stream may hold unwritten before rows are counted as skipped instead. */
const MAX_UNWRITTEN = 8 << 20;

/** One recorded row: the row itself, with the payload as base64 or, when asked and valid, text. */
export function recordLine(row: TapRow, payload: 'base64' | 'text'): string {
  const { payload: b64, ...fields } = row;
  // The same fields as the page's JSON-lines export: an ISO time beside timeMs, hex ids beside
  // the numbers.
  const rest = { ...fields, ...tapRowIds(row), time: new Date(row.timeMs).toISOString() };
  if (payload === 'text') {
    const text = utf8(Buffer.from(b64, 'base64'));
    if (text !== undefined) return JSON.stringify({ ...rest, payloadText: text }) + '\n';
  }
  return JSON.stringify({ ...rest, payloadBase64: b64 }) + '\n';
}

const decoder = new TextDecoder('utf-8', { fatal: true });
function utf8(bytes: Buffer): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Records the tap to a JSON-lines file: a reader of the ring with its own cursor and no batch
 * cap, so it keeps every row the ring held. Rows the ring overwrote before a flush, or that the
 * disk could not take in time, are counted in `skipped`.
 */
export class TapRecorder {
  readonly file: string;
  private readonly out: WriteStream;
  private readonly keep: (row: TapRow) => boolean;
  private cursor: number;
  private rows = 0;
  private bytes = 0;
  private skipped = 0;
  private failed: Error | undefined;
  private done = false;

  constructor(
    private readonly ring: TapRing,
    dir: string,
    filter: TapFilter,
    private readonly payload: 'base64' | 'text',
    now = new Date(),
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.file = path.join(dir, `tap-${now.toISOString().replace(/[:.]/g, '-')}.jsonl`);
    this.out = createWriteStream(this.file, { mode: 0o600 });
    this.out.on('error', (err) => (this.failed = err));
    this.keep = tapPredicate(filter);
    this.cursor = ring.lastSeq;
  }

  addSkipped(n: number): void {
    this.skipped += n;
  }

  flush(): void {
    if (this.done || this.failed) return;
    const { rows, missed } = this.ring.since(this.cursor);
    this.cursor = this.ring.lastSeq;
    this.skipped += missed;
    let chunk = '';
    for (const row of rows) {
      if (!this.keep(row)) continue;
      if (this.out.writableLength + chunk.length > MAX_UNWRITTEN) {
        this.skipped++;
        continue;
      }
      chunk += recordLine(row, this.payload);
      this.rows++;
    }
    if (chunk) {
      this.bytes += Buffer.byteLength(chunk);
      this.out.write(chunk);
    }
  }

  async stop(): Promise<RecordingView> {
    this.flush();
    this.done = true;
    await new Promise<void>((resolve) => this.out.end(resolve));
    return this.view();
  }

  view(): RecordingView {
    const name = path.basename(this.file);
    return {
      file: this.file,
      state: this.failed ? 'failed' : this.done ? 'done' : 'recording',
      rows: this.rows,
      bytes: this.bytes,
      skipped: this.skipped,
      downloadPath: `/recordings/${encodeURIComponent(name)}`,
      error: this.failed ? toHostError(this.failed) : null,
    };
  }
}
