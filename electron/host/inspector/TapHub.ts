import type { RecordingView, TapFilter, TapSettings } from '../../../contract/hostContract.js';
import type { TapScope } from '../../../broker/src/admin/adminWire.js';
import { TapRing, type UnnumberedRow } from './TapRing.js';
import { TapFeed, type TapFeedOptions } from './TapFeed.js';
import { TapRecorder } from './TapRecorder.js';
import { hostError } from '../control/hostError.js';

export const DEFAULT_TAP_SETTINGS: TapSettings = {
  captureBytes: 4096,
  ringRows: 50_000,
  ringBytes: 64 << 20,
};
const LIMITS = {
  captureBytes: [0, 65_536],
  ringRows: [100, 1_000_000],
  ringBytes: [1 << 20, 1 << 30],
} as const satisfies Record<keyof TapSettings, readonly [number, number]>;

/** Batches go out at most this often (about 10 per second per receiver). */
export const BATCH_MS = 100;

export interface TapHubOptions {
  recordingsDir: string;
  /**
   * Called when the cluster's taps should change scope: 'all' while someone watches or records,
   * 'lifecycle' otherwise (the nodes then build no publish event at all).
   */
  setTapScope(scope: TapScope, captureBytes: number): void;
  batchMs?: number;
}

/**
 * The cluster-wide tap on the host: one bounded ring fed by every node, read by each watching
 * connection's feed and by the recorder on one timer. While nobody reads, the nodes' taps are
 * lifecycle-only (their publish paths pay nothing) and the ring keeps those rows, so an inspector
 * opened later shows what happened to the cluster meanwhile.
 */
export class TapHub {
  private settings: TapSettings = { ...DEFAULT_TAP_SETTINGS };
  private readonly ring: TapRing;
  private readonly feeds = new Set<TapFeed>();
  private recorder: TapRecorder | undefined;
  private timer: NodeJS.Timeout | undefined;
  private active = false;

  constructor(private readonly options: TapHubOptions) {
    this.ring = new TapRing({ rows: this.settings.ringRows, bytes: this.settings.ringBytes });
  }

  /** What the nodes' taps should carry now: 'all' while someone watches or records. */
  get scope(): TapScope {
    return this.active ? 'all' : 'lifecycle';
  }

  get current(): TapSettings {
    return { ...this.settings };
  }

  /** Memory the ring holds now (rows, estimated bytes). */
  ringUsage(): { rows: number; bytes: number } {
    return { rows: this.ring.size, bytes: this.ring.byteSize };
  }

  configure(change: Partial<TapSettings>): TapSettings {
    const next = { ...this.settings };
    for (const key of Object.keys(LIMITS) as (keyof TapSettings)[]) {
      const value = change[key];
      if (value === undefined) continue;
      const [min, max] = LIMITS[key];
      if (!Number.isInteger(value) || value < min || value > max)
        throw hostError({ code: 'BadArguments', message: `${key} must be an integer in ${min}..${max}` });
      next[key] = value;
    }
    const resized = next.ringRows !== this.settings.ringRows || next.ringBytes !== this.settings.ringBytes;
    const recaptured = next.captureBytes !== this.settings.captureBytes;
    this.settings = next;
    if (resized) this.ring.resize({ rows: next.ringRows, bytes: next.ringBytes });
    if (recaptured && this.active) this.options.setTapScope('all', next.captureBytes);
    return this.current;
  }

  /**
   * A feed that starts with the ring's matching backlog after `afterSeq` (lifecycle rows kept while
   * nobody read).
   */
  watch(
    filter: TapFilter,
    options: Omit<TapFeedOptions, 'maxRows'> & { maxRows?: number },
    afterSeq = 0,
  ): TapFeed {
    const feed = new TapFeed(this.ring, filter, { maxRows: 1000, ...options }, afterSeq);
    this.feeds.add(feed);
    this.update();
    return feed;
  }

  unwatch(feed: TapFeed): void {
    this.feeds.delete(feed);
    this.update();
  }

  startRecording(filter: TapFilter, payload: 'base64' | 'text'): RecordingView {
    if (this.recorder)
      throw hostError({ code: 'AlreadyRecording', message: `already recording to ${this.recorder.file}` });
    this.recorder = new TapRecorder(this.ring, this.options.recordingsDir, filter, payload);
    this.update();
    return this.recorder.view();
  }

  async stopRecording(): Promise<RecordingView> {
    const rec = this.recorder;
    if (!rec) throw hostError({ code: 'NotRecording', message: 'no recording is running' });
    this.recorder = undefined;
    this.update();
    return rec.stop();
  }

  recording(): RecordingView | undefined {
    return this.recorder?.view();
  }

  /**
   * Rows from one node's tap (or the host's own node rows), plus how many a node dropped because
   * this host fell behind. Publishes a node sent before it heard the scope go lifecycle-only are
   * not kept: nobody reads them.
   */
  ingest(rows: readonly UnnumberedRow[], skippedByNode: number): void {
    for (const row of rows) if (this.active || row.kind !== 'publish') this.ring.push(row);
    if (skippedByNode > 0) {
      for (const feed of this.feeds) feed.addSkipped(skippedByNode);
      this.recorder?.addSkipped(skippedByNode);
    }
  }

  /**
   * Forgets every row (the cluster they came from is gone, or another one replaced it) and tells
   * each watching connection to empty its list. A recording keeps what it already wrote.
   */
  clear(): void {
    this.recorder?.flush();
    this.ring.clear();
    for (const feed of this.feeds) feed.restart();
  }

  async close(): Promise<void> {
    this.feeds.clear();
    if (this.recorder) await this.stopRecording();
    this.update();
  }

  private flush(): void {
    this.recorder?.flush();
    for (const feed of this.feeds) feed.flush();
  }

  private update(): void {
    const active = this.feeds.size > 0 || this.recorder !== undefined;
    if (active === this.active) return;
    this.active = active;
    if (active) this.timer = setInterval(() => this.flush(), this.options.batchMs ?? BATCH_MS);
    else clearInterval(this.timer);
    this.options.setTapScope(this.scope, this.settings.captureBytes);
  }
}
