import type { DrainView, NodeView } from '../../../contract/hostContract.js';
import type { DrainStatus } from '../../../broker/src/node/NodeDrain.js';
import type { NodeAdmin, NodeHealth } from './NodeAdmin.js';
import { natsNodeView } from './natsView.js';

/**
 * msgs/s is taken over this window rather than between two polls, so a message every second or
 * two reads as a steady 0.5–1 msg/s instead of flickering between 0 and 2.
 */
const RATE_WINDOW_MS = 2000;

type Sample = { at: number; deliveries: number };

/**
 * Adds a sample and returns deliveries per second since the oldest sample in the window, to one
 * decimal. A counter that went down (the node restarted) starts the window again.
 */
function rate(samples: Sample[], at: number, deliveries: number): number {
  const last = samples[samples.length - 1];
  if (last && deliveries < last.deliveries) samples.length = 0;
  samples.push({ at, deliveries });
  // Keep one sample at or before the window's start, so the span covers the whole window.
  while (samples.length > 2 && samples[1]!.at <= at - RATE_WINDOW_MS) samples.shift();
  const first = samples[0]!;
  if (at <= first.at) return 0;
  return Math.round(((deliveries - first.deliveries) * 10_000) / (at - first.at)) / 10;
}

/** The counters of a NodeView and its drain, as one node's /health gives them. */
export type NodeCounters = Pick<
  NodeView,
  | 'clients'
  | 'subscriptions'
  | 'topics'
  | 'msgsIn'
  | 'msgsOut'
  | 'bytesIn'
  | 'bytesOut'
  | 'msgsPerSec'
  | 'drain'
  | 'nats'
>;

/**
 * What the host last read from one node's /health, with its delivery rate: the polling both
 * kinds of cluster share (local nodes it runs, remote nodes it attached to).
 */
export class NodeFigures {
  health: NodeHealth | undefined;
  private samples: Sample[] = [];
  private msgsPerSec = 0;
  /** The drain that ended the node's last incarnation, shown while it is down. */
  private endedBy: DrainView | null = null;

  /** Reads /health once; throws (and keeps the last figures) when the node does not answer. */
  async poll(admin: NodeAdmin): Promise<NodeHealth> {
    const h = await admin.health();
    this.msgsPerSec = rate(this.samples, Date.now(), h.deliveries);
    this.health = h;
    this.endedBy = null;
    return h;
  }

  /**
   * The node goes down because its drain ended (the host stops it, or it exits by itself): until
   * it answers again its view keeps that drain, drained, so the inspector can tell why it stopped.
   */
  endedByDrain(): void {
    const d = this.health?.drain;
    this.endedBy = {
      state: 'drained',
      total: d?.total ?? this.health?.sessions ?? 0,
      remaining: 0,
      startedAtMs: d?.startedAt ?? Date.now(),
    };
  }

  /** Forgets everything: the node went down, its next incarnation starts from zero. */
  reset(): void {
    this.health = undefined;
    this.samples = [];
    this.msgsPerSec = 0;
  }

  counters(up: boolean): NodeCounters {
    const h = this.health;
    return {
      clients: h?.sessions ?? 0,
      subscriptions: h?.subscriptions ?? 0,
      topics: h?.topics ?? 0,
      msgsIn: h?.traffic.msgsIn ?? 0,
      msgsOut: h?.traffic.msgsOut ?? 0,
      bytesIn: h?.traffic.bytesIn ?? 0,
      bytesOut: h?.traffic.bytesOut ?? 0,
      msgsPerSec: up ? this.msgsPerSec : 0,
      drain: !up ? this.endedBy : h?.drain ? drainView(h.drain) : null,
      nats: up ? natsNodeView(h?.cluster) : null,
    };
  }
}

function drainView(d: DrainStatus): DrainView {
  return { state: d.state, total: d.total, remaining: d.remaining, startedAtMs: d.startedAt };
}
