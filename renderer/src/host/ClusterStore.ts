import type {
  ClusterSnapshot,
  HostApi,
  HostEvent,
  LoadView,
  StatsTick,
} from '../../../contract/hostContract.js';
import type { HostStatus } from './HostClient.js';

export interface ClusterState {
  status: HostStatus;
  /** Null until the host sent the first snapshot. */
  snapshot: ClusterSnapshot | null;
  /** The last stats ticks, oldest first (at most HISTORY). */
  stats: StatsTick[];
  loads: Record<string, LoadView>;
  /** The last failed snapshot request (e.g. Unauthorized), shown instead of an endless spinner. */
  error: unknown;
}

export const HISTORY = 60;

/** What the host client offers beyond the contract: its connection state. */
export interface StatusSource {
  onStatus(listener: (status: HostStatus) => void): () => void;
}

/**
 * The host's event streams folded into one immutable state for React (useSyncExternalStore):
 * the latest cluster snapshot, a short stats history, the load runs. Asks for a fresh snapshot
 * every time the host connection opens, since events sent while disconnected are lost.
 */
export class ClusterStore {
  private state: ClusterState = {
    status: { state: 'connecting', attempt: 0, lastError: null },
    snapshot: null,
    stats: [],
    loads: {},
    error: null,
  };
  private readonly listeners = new Set<() => void>();
  private readonly stops: (() => void)[] = [];
  /** Orders snapshots: a `snapshot` reply older than an event that arrived meanwhile is dropped. */
  private generation = 0;

  constructor(
    private readonly host: HostApi,
    status: StatusSource,
  ) {
    this.stops.push(host.subscribe((e) => this.onEvent(e)));
    this.stops.push(status.onStatus((s) => this.onStatus(s)));
  }

  get = (): ClusterState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  /** Sets the snapshot a command returned (createCluster) without waiting for the event. */
  accept(snapshot: ClusterSnapshot): void {
    this.generation++;
    this.set({ snapshot, error: null });
  }

  dispose(): void {
    for (const s of this.stops) s();
  }

  private onStatus(status: HostStatus): void {
    this.set({ status });
    if (status.state === 'open' && status.version === null) void this.refresh();
  }

  private async refresh(): Promise<void> {
    const gen = this.generation;
    try {
      const snapshot = await this.host.call('snapshot', {});
      if (gen === this.generation) this.accept(snapshot);
    } catch (e) {
      this.set({ error: e });
    }
  }

  private onEvent(e: HostEvent): void {
    switch (e.stream) {
      case 'cluster':
        this.accept(e.snapshot);
        return;
      case 'stats': {
        const stats = [...this.state.stats, e.tick];
        if (stats.length > HISTORY) stats.splice(0, stats.length - HISTORY);
        this.set({ stats });
        return;
      }
      case 'load':
        this.set({ loads: { ...this.state.loads, [e.load.id]: e.load } });
        return;
    }
  }

  private set(patch: Partial<ClusterState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) l();
  }
}
