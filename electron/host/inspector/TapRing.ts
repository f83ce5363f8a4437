import { randomUUID } from 'node:crypto';
import type { TapRow } from '../../../contract/hostContract.js';

export interface RingLimits {
  rows: number;
  bytes: number;
}

/** Rows as the ring stores them, before the ring numbers them. */
export type UnnumberedRow = Omit<TapRow, 'seq'>;

/** What one row holds in memory, roughly: its strings plus a fixed overhead for the object. */
export function rowCost(row: UnnumberedRow): number {
  return (
    ROW_OVERHEAD +
    row.payload.length +
    (row.topic?.length ?? 0) * 2 +
    (row.subtopic?.length ?? 0) * 2 +
    (row.uid?.length ?? 0) +
    (row.destUid?.length ?? 0)
  );
}
const ROW_OVERHEAD = 240;

/**
 * The host's bounded window on the tap: the newest rows, numbered without gaps, bounded by count
 * and by bytes. Readers keep a cursor (the last seq they took) and learn how many rows they
 * missed when the ring overwrote them first.
 */
export class TapRing {
  private slots: (TapRow | undefined)[];
  private costs: number[];
  /** Slot index of the oldest row. */
  private head = 0;
  private count = 0;
  private bytes = 0;
  private next = 1;
  /** Random per ring, so per host process: the numbering its seqs belong to (TapBatch.hostInstance). */
  readonly instance = randomUUID();

  constructor(private limits: RingLimits) {
    if (limits.rows < 1 || limits.bytes < 1) throw new RangeError('ring limits must be positive');
    this.slots = new Array<TapRow | undefined>(limits.rows);
    this.costs = new Array<number>(limits.rows).fill(0);
  }

  /** The seq of the newest row (0 before the first). */
  get lastSeq(): number {
    return this.next - 1;
  }

  get size(): number {
    return this.count;
  }

  get byteSize(): number {
    return this.bytes;
  }

  push(row: UnnumberedRow): TapRow {
    const cost = rowCost(row);
    while (this.count > 0 && (this.count >= this.limits.rows || this.bytes + cost > this.limits.bytes))
      this.evict();
    const numbered = { ...row, seq: this.next++ } as TapRow;
    const at = (this.head + this.count) % this.limits.rows;
    this.slots[at] = numbered;
    this.costs[at] = cost;
    this.count++;
    this.bytes += cost;
    return numbered;
  }

  /** Rows with seq > after, oldest first, and how many such rows the ring no longer holds. */
  since(after: number): { rows: TapRow[]; missed: number } {
    const first = this.next - this.count;
    const start = Math.max(after + 1, first);
    const rows: TapRow[] = [];
    for (let seq = start; seq < this.next; seq++) rows.push(this.at(seq));
    return { rows, missed: Math.max(0, start - (after + 1)) };
  }

  /** The newest rows first, up to `limit` of those `keep` accepts (a backlog for a new filter). */
  newest(limit: number, keep: (row: TapRow) => boolean): TapRow[] {
    const out: TapRow[] = [];
    for (let seq = this.next - 1; seq >= this.next - this.count && out.length < limit; seq--) {
      const row = this.at(seq);
      if (keep(row)) out.push(row);
    }
    return out.reverse();
  }

  /** How many rows `keep` accepts, without collecting them. */
  countWhere(keep: (row: TapRow) => boolean): number {
    let n = 0;
    for (let seq = this.next - this.count; seq < this.next; seq++) if (keep(this.at(seq))) n++;
    return n;
  }

  /** Drops every row; numbering goes on, so readers' cursors stay valid. */
  clear(): void {
    this.slots.fill(undefined);
    this.costs.fill(0);
    this.head = 0;
    this.count = 0;
    this.bytes = 0;
  }

  /** New budgets; the oldest rows go when the ring shrinks. */
  resize(limits: RingLimits): void {
    const { rows } = this.since(0);
    this.limits = limits;
    this.slots = new Array<TapRow | undefined>(limits.rows);
    this.costs = new Array<number>(limits.rows).fill(0);
    this.head = 0;
    this.count = 0;
    this.bytes = 0;
    const next = this.next;
    for (const row of rows) {
      this.next = row.seq;
      this.push(row);
    }
    this.next = next;
  }

  private at(seq: number): TapRow {
    const first = this.next - this.count;
    return this.slots[(this.head + (seq - first)) % this.limits.rows]!;
  }

  private evict(): void {
    this.bytes -= this.costs[this.head]!;
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.limits.rows;
    this.count--;
  }
}
