import { EventEmitter } from 'node:events';
import { CloseReason } from './CloseReason.js';
import type { Session } from './Session.js';
import type { SmqNode } from './SmqNode.js';

export type DrainState = 'draining' | 'drained' | 'cancelled';

export interface DrainOptions {
  /** Sessions closed per step. Default 10. */
  batchSize?: number;
  /** Time between steps. Default 100 ms: 100 sessions a second, so survivors take them in a stream. */
  intervalMs?: number;
}

/** What /health (section `drain`) and the `progress` event report. */
export interface DrainStatus {
  state: DrainState;
  /** Connections when the drain started. */
  total: number;
  /** Connections still open (handshaking ones included); 0 once drained. */
  remaining: number;
  /** Connections the drain closed (the others left on their own). */
  closed: number;
  batchSize: number;
  intervalMs: number;
  startedAt: number;
  /** When it was drained or cancelled; null while draining. */
  endedAt: number | null;
}

export const DRAIN_LIMITS = {
  batchSize: { min: 1, max: 10_000, default: 10 },
  intervalMs: { min: 1, max: 60_000, default: 100 },
} as const;

/**
 * Empties a node for maintenance: new connections are closed before Init (`Draining`: a Connack
 * refusal would stop a C device for good), then open sessions are closed a batch at a time
 * (`Drained`, a plain close and never a Disconnect), so devices reconnect to the other nodes of
 * their URL list without all arriving there at once. Drained, the node keeps refusing until it
 * stops or the drain is cancelled. Emits `progress` after every step and on every state change.
 */
export class NodeDrain extends EventEmitter<{ progress: [DrainStatus] }> {
  private state: DrainState = 'draining';
  private readonly total: number;
  private closed = 0;
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly startedAt = Date.now();
  private endedAt: number | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly node: SmqNode,
    options: DrainOptions = {},
  ) {
    super();
    this.batchSize = checked('batchSize', options.batchSize);
    this.intervalMs = checked('intervalMs', options.intervalMs);
    node.refuseNewSessions(CloseReason.Draining);
    this.total = node.openSessions().size;
    // The first batch goes after one interval: the caller can listen to every step.
    this.timer = setInterval(() => this.step(), this.intervalMs).unref();
  }

  get active(): boolean {
    return this.state === 'draining';
  }

  status(): DrainStatus {
    return {
      state: this.state,
      total: this.total,
      remaining: this.node.openSessions().size,
      closed: this.closed,
      batchSize: this.batchSize,
      intervalMs: this.intervalMs,
      startedAt: this.startedAt,
      endedAt: this.endedAt,
    };
  }

  /** Stops closing sessions and accepts new ones again; also reopens a node already drained. */
  cancel(): void {
    if (this.state === 'cancelled') return;
    this.end('cancelled');
    this.node.refuseNewSessions(undefined);
  }

  private step(): void {
    if (this.state !== 'draining') return;
    const batch: Session[] = [];
    for (const s of this.node.openSessions()) {
      if (batch.length === this.batchSize) break;
      batch.push(s);
    }
    for (const s of batch) this.node.closeSession(s, CloseReason.Drained, 'node drained for maintenance');
    this.closed += batch.length;
    if (this.node.openSessions().size === 0) this.end('drained');
    else this.emit('progress', this.status());
  }

  private end(state: 'drained' | 'cancelled'): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.state = state;
    this.endedAt = Date.now();
    this.emit('progress', this.status());
  }
}

function checked(key: keyof typeof DRAIN_LIMITS, value: number | undefined): number {
  const { min, max, default: fallback } = DRAIN_LIMITS[key];
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max)
    throw new RangeError(`${key} must be an integer in ${min}..${max}`);
  return value;
}
