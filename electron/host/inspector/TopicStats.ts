import {
  TOPIC_HISTORY_SECONDS,
  type NodeId,
  type TopicNodeView,
  type TopicView,
} from '../../../contract/hostContract.js';
import type { AdminTopic } from '../../../broker/src/admin/adminWire.js';

interface Sample {
  at: number;
  msgs: number;
  bytes: number;
  peerMsgs: number;
}

interface NodeTopic {
  topic: AdminTopic;
  sample: Sample;
  rate: { msgs: number; bytes: number; peerMsgs: number };
}

/**
 * Every topic on every node, from the nodes' topic listings: per-node TIDs and subscribers,
 * cluster-wide msgs/s and bytes/s (publishes counted where they were published, so a message that
 * crossed a link counts once), the last payload and a per-second history for charts.
 */
export class TopicStats {
  private readonly byNode = new Map<NodeId, Map<string, NodeTopic>>();
  private readonly history = new Map<string, number[]>();

  /** One node's listing, taken at `at` (ms). */
  update(nodeId: NodeId, topics: readonly AdminTopic[], at: number): void {
    const old = this.byNode.get(nodeId);
    const next = new Map<string, NodeTopic>();
    for (const topic of topics) {
      const prev = old?.get(topic.name);
      const sample = { at, msgs: topic.msgs, bytes: topic.bytes, peerMsgs: topic.peerMsgs };
      const last = prev?.sample;
      const dt = last ? (at - last.at) / 1000 : 0;
      // A counter that went down is a restarted node: no rate from that pair.
      const rate =
        last && dt > 0 && sample.msgs >= last.msgs
          ? {
              msgs: (sample.msgs - last.msgs) / dt,
              bytes: (sample.bytes - last.bytes) / dt,
              peerMsgs: (sample.peerMsgs - last.peerMsgs) / dt,
            }
          : { msgs: 0, bytes: 0, peerMsgs: 0 };
      next.set(topic.name, { topic, sample, rate });
    }
    this.byNode.set(nodeId, next);
  }

  forget(nodeId: NodeId): void {
    this.byNode.delete(nodeId);
  }

  /** Appends one point per topic to its history; called once a second. */
  tick(): void {
    const names = new Set<string>();
    for (const topics of this.byNode.values()) for (const name of topics.keys()) names.add(name);
    for (const name of names) {
      const h = this.history.get(name) ?? [];
      h.push(this.sum(name).msgs);
      if (h.length > TOPIC_HISTORY_SECONDS) h.shift();
      this.history.set(name, h);
    }
    for (const name of this.history.keys()) if (!names.has(name)) this.history.delete(name);
  }

  views(): TopicView[] {
    const out: TopicView[] = [];
    for (const name of [...this.history.keys()].sort()) {
      const nodes: TopicNodeView[] = [];
      // Nodes keep no time with their preview: take the busiest node's, where publishes land.
      let last: { preview: AdminTopic['last']; busy: number } | undefined;
      const subtopics = new Set<string>();
      for (const [nodeId, topics] of this.byNode) {
        const entry = topics.get(name);
        if (!entry) continue;
        const t = entry.topic;
        nodes.push({ nodeId, tid: t.tid, subscribers: t.subscribers });
        const busy = entry.rate.msgs + entry.rate.peerMsgs;
        if (t.last && (!last || busy > last.busy)) last = { preview: t.last, busy };
        for (const s of t.subtopics) subtopics.add(s);
      }
      const rate = this.sum(name);
      out.push({
        name,
        nodes: nodes.sort((a, b) => a.nodeId.localeCompare(b.nodeId)),
        msgsPerSec: round1(rate.msgs),
        bytesPerSec: round1(rate.bytes),
        history: this.history.get(name)!.map(round1),
        lastPayload: last?.preview?.head ?? null,
        lastSize: last?.preview?.size ?? 0,
        subtopics: [...subtopics].sort(),
      });
    }
    return out;
  }

  private sum(name: string): { msgs: number; bytes: number } {
    let msgs = 0;
    let bytes = 0;
    for (const topics of this.byNode.values()) {
      const t = topics.get(name);
      msgs += t?.rate.msgs ?? 0;
      bytes += t?.rate.bytes ?? 0;
    }
    return { msgs, bytes };
  }
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
