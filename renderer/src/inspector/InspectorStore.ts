import type {
  HostApi,
  HostEvent,
  RecordingView,
  TapBatch,
  TapFilter,
  TapRow,
  TapSettings,
  TopicView,
} from '../../../contract/hostContract.js';
import type { StatusSource } from '../host/ClusterStore.js';
import { readLayout, saveLayout, type LayoutStorage } from '../ui/layout.js';

/** Rows the page keeps for the list, export and detail pane; the oldest go first. */
export const MAX_ROWS = 20_000;

export interface InspectorState {
  /** What the list shows: frozen while paused. */
  rows: readonly TapRow[];
  filter: TapFilter;
  paused: boolean;
  /** Rows that arrived while paused and are not in `rows` yet. */
  heldWhilePaused: number;
  /** Since the filter was set: rows tapped, rows that matched, rows the host could not send. */
  seen: number;
  matched: number;
  skipped: number;
  /** Lifecycle rows from before this watch began that the Show kinds hide (the host kept them). */
  hiddenLifecycle: number;
  settings: TapSettings | null;
  topics: readonly TopicView[];
  recording: RecordingView | null;
  /** The last failed call (watch, configure, record), for the UI to show. */
  error: unknown;
}

/**
 * The inspector's side of the host: asks for this page's tap feed (again after every reconnect),
 * folds batches into a bounded row list, and keeps pause/clear local so counts go on while the
 * list stands still. Topics and recording events are kept for their views. The filter is kept in
 * the page's layout storage: a reload (the CSP guard makes one for a new node) starts from it.
 */
export class InspectorStore {
  private state: InspectorState = {
    rows: [],
    filter: {},
    paused: false,
    heldWhilePaused: 0,
    seen: 0,
    matched: 0,
    skipped: 0,
    hiddenLifecycle: 0,
    settings: null,
    topics: [],
    recording: null,
    error: null,
  };
  /** Every received row (bounded), including those held while paused. */
  private live: TapRow[] = [];
  private watching = false;
  /** True once a filter was chosen here or restored from storage (then `{}` means "everything"). */
  private chosen = false;
  /** The host's running counts at the last clear(), subtracted from what it sends after. */
  private offset = { seen: 0, matched: 0 };
  private lastCounts = { seen: 0, matched: 0 };
  /** The host's row seq the last batch covered, and where this page last cleared its list. */
  private throughSeq = 0;
  private clearedThrough = 0;
  /** The host whose numbering those two count in (TapBatch.hostInstance). */
  private hostInstance: string | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly host: HostApi,
    status: StatusSource,
    private readonly maxRows = MAX_ROWS,
    private readonly storage: LayoutStorage | null = null,
  ) {
    const saved = readLayout(storage).inspectorFilter;
    if (saved) {
      this.state = { ...this.state, filter: saved };
      this.chosen = true;
    }
    this.stops.push(host.subscribe((e) => this.onEvent(e)));
    this.stops.push(
      status.onStatus((s) => {
        if (s.state !== 'open' || !this.watching) return;
        void this.watch(this.state.filter);
      }),
    );
  }

  get = (): InspectorState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  /** The filter to start watching with: the one chosen before (or saved), else `fallback`. */
  startFilter(fallback: TapFilter): TapFilter {
    return this.chosen ? this.state.filter : fallback;
  }

  /**
   * Starts this page's feed, or changes its filter: the host then resends the matching backlog,
   * only from this page's last Clear on.
   */
  async watch(filter: TapFilter): Promise<void> {
    this.watching = true;
    this.choose(filter);
    try {
      const settings = await this.host.call(
        'watchTap',
        this.clearedThrough > 0 ? { filter, afterSeq: this.clearedThrough } : { filter },
      );
      this.set({ settings, error: null });
    } catch (error) {
      this.set({ error });
    }
  }

  /** A filter chosen in the view: applied now while watching, else kept for the next watch. */
  async setFilter(filter: TapFilter): Promise<void> {
    if (this.watching) return this.watch(filter);
    this.choose(filter);
  }

  /** The filter shown and kept in the page's layout (a reload starts from it). */
  private choose(filter: TapFilter): void {
    saveLayout({ inspectorFilter: filter }, this.storage);
    this.chosen = true;
    this.set({ filter });
  }

  async unwatch(): Promise<void> {
    this.watching = false;
    await this.host.call('unwatchTap', {}).catch(() => undefined);
  }

  async configure(change: Partial<TapSettings>): Promise<void> {
    try {
      this.set({ settings: await this.host.call('configureTap', change), error: null });
    } catch (error) {
      this.set({ error });
    }
  }

  async record(on: boolean, payload: 'base64' | 'text' = 'text'): Promise<void> {
    try {
      const recording = on
        ? await this.host.call('startRecording', { payload })
        : await this.host.call('stopRecording', {});
      this.set({ recording, error: null });
    } catch (error) {
      this.set({ error });
    }
  }

  setPaused(paused: boolean): void {
    this.set({ paused, heldWhilePaused: 0, rows: paused ? this.state.rows : this.live });
  }

  /**
   * Empties the list and counts here; the host's ring and other pages are not touched, but this
   * page's next filter change asks only for rows after the mark.
   */
  clear(): void {
    this.live = [];
    this.clearedThrough = this.throughSeq;
    this.offset = { ...this.lastCounts };
    this.set({ rows: [], heldWhilePaused: 0, seen: 0, matched: 0, skipped: 0 });
  }

  dispose(): void {
    for (const stop of this.stops) stop();
  }

  private onEvent(e: HostEvent): void {
    if (e.stream === 'tap') this.onBatch(e.batch);
    else if (e.stream === 'topics') this.set({ topics: e.topics });
    else if (e.stream === 'recording') this.set({ recording: e.recording });
  }

  private onBatch(batch: TapBatch): void {
    if (batch.hostInstance !== this.hostInstance) {
      const marked = this.hostInstance !== undefined && this.clearedThrough > 0;
      this.hostInstance = batch.hostInstance;
      if (marked) {
        // A restarted host numbers its rows from 1 again: the old Clear mark hid new rows from this
        // batch. Ask again without it; the reset batch that answers replaces this one.
        this.clearedThrough = 0;
        void this.watch(this.state.filter);
        return;
      }
    }
    if (batch.reset) this.offset = { seen: 0, matched: 0 };
    this.throughSeq = batch.throughSeq;
    const kept = batch.reset ? [] : this.live;
    const drop = Math.max(0, kept.length + batch.rows.length - this.maxRows);
    this.live =
      drop >= kept.length ? batch.rows.slice(drop - kept.length) : kept.slice(drop).concat(batch.rows);
    const counts = {
      seen: batch.seen - this.offset.seen,
      matched: batch.matched - this.offset.matched,
      skipped: (batch.reset ? 0 : this.state.skipped) + batch.skipped,
      hiddenLifecycle: batch.reset ? (batch.hiddenLifecycle ?? 0) : this.state.hiddenLifecycle,
    };
    this.lastCounts = { seen: batch.seen, matched: batch.matched };
    if (this.state.paused) {
      const held = (batch.reset ? 0 : this.state.heldWhilePaused) + batch.rows.length;
      this.set({ ...counts, heldWhilePaused: held });
    } else this.set({ ...counts, rows: this.live });
  }

  private set(patch: Partial<InspectorState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }
}
