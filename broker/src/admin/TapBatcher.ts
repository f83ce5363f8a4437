import type { TapEvent } from '../node/tap.js';
import { encodeTapEvent, wireEventBytes, type TapFrame, type WireTapEvent } from './adminWire.js';

/** How much tap traffic one admin socket may hold before events are skipped (and counted). */
export interface TapBudget {
  /** Events queued for the next batch. */
  maxEvents: number;
  /** Estimated JSON bytes queued for the next batch. */
  maxBytes: number;
  /** Bytes the socket may have unsent (ws.bufferedAmount) before batches wait. */
  maxBufferedBytes: number;
  /** A batch goes out at most this often. */
  flushMs: number;
}

export const DEFAULT_TAP_BUDGET: TapBudget = {
  maxEvents: 5000,
  maxBytes: 1 << 20,
  maxBufferedBytes: 1 << 20,
  flushMs: 50,
};

/** Where batches go: the socket's send and its unsent byte count. */
export interface TapOutlet {
  send(text: string): void;
  bufferedAmount(): number;
}

/**
 * One admin socket's tap queue. `push` runs on the node's hot path: over budget it only counts
 * the event as skipped (no encoding, no allocation); otherwise it encodes the event once, with this
 * socket's captureBytes. A timer sends the queue as one `tap` frame at most every flushMs, and waits
 * while the socket has more than maxBufferedBytes unsent, so a client that stops reading costs the
 * node at most maxBytes of queue plus maxBufferedBytes (and one frame) of socket buffer.
 */
export class TapBatcher {
  /** Events sent and skipped since this batcher started. */
  sentTotal = 0;
  skippedTotal = 0;
  private queue: WireTapEvent[] = [];
  private queuedBytes = 0;
  private skipped = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly out: TapOutlet,
    public captureBytes: number,
    private readonly budget: TapBudget = DEFAULT_TAP_BUDGET,
  ) {}

  push(e: TapEvent): void {
    if (this.stopped) return;
    const { maxEvents, maxBytes } = this.budget;
    if (this.queue.length >= maxEvents || this.queuedBytes >= maxBytes) return this.skip();
    const w = encodeTapEvent(e, this.captureBytes);
    const size = wireEventBytes(w);
    // One event always fits an empty queue, however large its head.
    if (this.queue.length > 0 && this.queuedBytes + size > maxBytes) return this.skip();
    this.queue.push(w);
    this.queuedBytes += size;
    this.schedule();
  }

  /** Sends what is queued now unless the socket is over its buffer budget; true when nothing is left. */
  flush(): boolean {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0 && this.skipped === 0) return true;
    if (this.out.bufferedAmount() > this.budget.maxBufferedBytes) {
      this.schedule();
      return false;
    }
    const frame: TapFrame = { t: 'tap', events: this.queue, skipped: this.skipped };
    this.sentTotal += this.queue.length;
    this.queue = [];
    this.queuedBytes = 0;
    this.skipped = 0;
    this.out.send(JSON.stringify(frame));
    return true;
  }

  /** Drops the queue and the timer; later pushes are ignored. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
    this.queuedBytes = 0;
  }

  private skip(): void {
    this.skipped++;
    this.skippedTotal++;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer === undefined && !this.stopped) {
      this.timer = setTimeout(() => this.flush(), this.budget.flushMs);
      this.timer.unref();
    }
  }
}
