import { CloseReason } from './CloseReason.js';
import type { DenyReason, DropReason } from './options.js';
import type { Session, TrafficCounters } from './Session.js';

export interface NodeStats {
  name: string;
  uptimeMs: number;
  /** Connections past Connack. */
  sessions: number;
  /** Connections still in the handshake. */
  handshaking: number;
  sessionsOpened: number;
  topics: number;
  subtopics: number;
  /** Topic subscriptions of this node's connections: the sum over topics of local subscribers. */
  subscriptions: number;
  publishes: number;
  deliveries: number;
  traffic: TrafficCounters;
  drops: Record<DropReason, number>;
  /** Name requests answered with a denied ack, by reason. */
  denials: Record<DenyReason, number>;
  pendingBytes: number;
  closes: Record<CloseReason, number>;
}

interface NodeView {
  name: string;
  startedAt: number;
  topics: { names: { size: number } };
  subtopics: { size: number };
}

/**
 * Node-wide counters. Per-message traffic is counted once, on the session; a closing session's
 * totals are absorbed here, so node traffic = absorbed + live sessions, with no double counting.
 */
export class NodeCounters {
  publishes = 0;
  deliveries = 0;
  sessionsOpened = 0;
  readonly drops: Record<DropReason, number> = { noReceiver: 0, hook: 0, slowConsumer: 0 };
  readonly denials: Record<DenyReason, number> = { badName: 0, hook: 0, topicLimit: 0, subtopicLimit: 0 };
  private readonly closed: TrafficCounters = { msgsIn: 0, msgsOut: 0, bytesIn: 0, bytesOut: 0, drops: 0 };
  private readonly closes = Object.fromEntries(Object.values(CloseReason).map((r) => [r, 0])) as Record<
    CloseReason,
    number
  >;

  countClose(reason: CloseReason): void {
    this.closes[reason]++;
  }

  absorb(c: TrafficCounters): void {
    addInto(this.closed, c);
  }

  snapshot(node: NodeView, live: Iterable<Session>, pendingBytes: number): NodeStats {
    const traffic = { ...this.closed };
    let sessions = 0;
    let handshaking = 0;
    let subscriptions = 0;
    for (const s of live) {
      addInto(traffic, s.counters);
      subscriptions += s.subscriptions.size;
      if (s.state === 'ready') sessions++;
      else handshaking++;
    }
    return {
      name: node.name,
      uptimeMs: Date.now() - node.startedAt,
      sessions,
      handshaking,
      sessionsOpened: this.sessionsOpened,
      topics: node.topics.names.size,
      subtopics: node.subtopics.size,
      subscriptions,
      publishes: this.publishes,
      deliveries: this.deliveries,
      traffic,
      drops: { ...this.drops },
      denials: { ...this.denials },
      pendingBytes,
      closes: { ...this.closes },
    };
  }
}

function addInto(into: TrafficCounters, c: TrafficCounters): void {
  into.msgsIn += c.msgsIn;
  into.msgsOut += c.msgsOut;
  into.bytesIn += c.bytesIn;
  into.bytesOut += c.bytesOut;
  into.drops += c.drops;
}
