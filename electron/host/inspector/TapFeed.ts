import type { TapBatch, TapFilter, TapRow } from '../../../contract/hostContract.js';
import type { TapRing } from './TapRing.js';
import { tapPredicate } from './tapFilter.js';

export interface TapFeedOptions {
  /** Rows per batch at most; the newest are kept, the rest counted as skipped. */
  maxRows: number;
  /** False while the receiver's socket is backed up: the feed holds its batch and counts on. */
  canSend(): boolean;
  send(batch: TapBatch): void;
}

/**
 * One receiver's view of the tap: its filter, its cursor in the ring, and the counts it reports.
 * The hub calls flush() on its batch tick; a receiver that cannot keep up gets the newest rows
 * and the number it missed, never an unbounded queue.
 */
export class TapFeed {
  private cursor: number;
  private keep: (row: TapRow) => boolean;
  private seen = 0;
  private matched = 0;
  private skipped = 0;
  /** `seen` as last sent: a batch goes out when anything changed, even with no rows. */
  private sentSeen = -1;
  private reset = true;
  private pending: TapRow[] = [];
  /** Sent once, on the first batch: what the receiver's kinds hide of the backlog. */
  private hiddenLifecycle = 0;

  constructor(
    private readonly ring: TapRing,
    filter: TapFilter,
    private readonly options: TapFeedOptions,
    afterSeq = 0,
  ) {
    this.keep = tapPredicate(filter);
    this.cursor = ring.lastSeq;
    this.takeBacklog(afterSeq);
    const anyKind = tapPredicate({ ...filter, kinds: undefined });
    this.hiddenLifecycle = ring.countWhere(
      (r) => r.seq > afterSeq && r.kind !== 'publish' && !this.keep(r) && anyKind(r),
    );
  }

  /**
   * A new filter: the next batch replaces the receiver's rows with the ring's matching backlog
   * after `afterSeq` (where the receiver last cleared its list, so a Clear stays cleared).
   */
  setFilter(filter: TapFilter, afterSeq = 0): void {
    this.keep = tapPredicate(filter);
    this.cursor = this.ring.lastSeq;
    this.takeBacklog(afterSeq);
    this.skipped = 0;
    this.sentSeen = -1;
    this.reset = true;
    // The receiver chose its kinds: no hint to show them any more.
    this.hiddenLifecycle = 0;
  }

  /** The ring was cleared (another cluster): the next batch empties the receiver's list. */
  restart(): void {
    this.cursor = this.ring.lastSeq;
    this.pending = [];
    this.seen = 0;
    this.matched = 0;
    this.skipped = 0;
    this.sentSeen = -1;
    this.reset = true;
  }

  /** Rows that a node could not send to this host (its own backpressure). */
  addSkipped(n: number): void {
    this.seen += n;
    this.skipped += n;
  }

  /** The backlog counts: what the ring holds after the mark was tapped, what it sends matched. */
  private takeBacklog(afterSeq: number): void {
    const keep = this.keep;
    this.pending = this.ring.newest(this.options.maxRows, (r) => r.seq > afterSeq && keep(r));
    this.seen = Math.min(this.ring.size, Math.max(0, this.ring.lastSeq - afterSeq));
    this.matched = this.pending.length;
  }

  flush(): void {
    const { rows, missed } = this.ring.since(this.cursor);
    this.cursor = this.ring.lastSeq;
    this.seen += rows.length + missed;
    this.skipped += missed;
    for (const row of rows) {
      if (!this.keep(row)) continue;
      this.matched++;
      this.pending.push(row);
    }
    // Nodes send in batches: order the new rows by time so the list reads as one stream.
    this.pending.sort((a, b) => a.timeMs - b.timeMs || a.seq - b.seq);
    const over = this.pending.length - this.options.maxRows;
    if (over > 0) {
      this.skipped += over;
      this.pending = this.pending.slice(over);
    }
    if (!this.options.canSend()) return;
    if (!this.reset && this.seen === this.sentSeen && this.skipped === 0) return;
    this.sentSeen = this.seen;
    const batch: TapBatch = {
      rows: this.pending,
      skipped: this.skipped,
      seen: this.seen,
      matched: this.matched,
      reset: this.reset,
      throughSeq: this.cursor,
      hostInstance: this.ring.instance,
    };
    if (this.hiddenLifecycle > 0) batch.hiddenLifecycle = this.hiddenLifecycle;
    this.options.send(batch);
    this.hiddenLifecycle = 0;
    this.pending = [];
    this.skipped = 0;
    this.reset = false;
  }
}
