import type { SmqNode } from '../node/SmqNode.js';
import type { Cluster } from '../cluster/Cluster.js';
import type { AdminClient, AdminStats, AdminTopic } from './adminWire.js';

/**
 * What the admin channel lists, built on demand from the node's tables. Shared by the HTTP
 * endpoint (GET /admin/clients, /admin/topics) and the admin WebSocket; never on the hot path.
 */

/** Every connection with its subscribed topic names. */
export function listClients(node: SmqNode): AdminClient[] {
  return node.sessions().map((snap) => {
    const topics: string[] = [];
    for (const tid of node.sessionByEtid(snap.etid)?.subscriptions ?? []) {
      const name = node.topics.names.nameOf(tid);
      if (name) topics.push(name.toString('utf8'));
    }
    return { ...snap, topics };
  });
}

/** Every topic name the node knows, with its subscribers and traffic since the node started. */
export function listTopics(node: SmqNode): AdminTopic[] {
  const out: AdminTopic[] = [];
  const clustered = node.cluster !== undefined;
  for (const [tid, name] of node.topics.names.entries()) {
    const e = node.topics.peek(tid);
    const t: AdminTopic = {
      name: name.toString('utf8'),
      tid,
      subscribers: e?.subscribers.size ?? 0,
      msgs: e?.msgs ?? 0,
      bytes: e?.bytes ?? 0,
      peerMsgs: e?.peerMsgs ?? 0,
      peerBytes: e?.peerBytes ?? 0,
      subtopics: [],
      subtopicsUnlisted: e?.subtopicsUnlisted ?? 0,
    };
    if (clustered) t.clusterSubscribers = node.subscriberCount(tid);
    const preview = e?.lastPreview();
    if (e !== undefined && preview !== undefined) {
      t.last = {
        size: e.lastSize,
        head: preview.toString('base64'),
        truncated: preview.length < e.lastSize,
      };
    }
    for (const subtid of e?.subtids ?? []) {
      const sub = node.subtopics.nameOf(subtid);
      if (sub) t.subtopics.push(sub.toString('utf8'));
    }
    out.push(t);
  }
  return out;
}

/** The node's counters (what /health has) plus its subscription total and cluster links. */
export function adminStats(node: SmqNode, cluster: Cluster | undefined): AdminStats {
  let subscriptions = 0;
  for (const [tid] of node.topics.names.entries()) subscriptions += node.topics.count(tid);
  const stats: AdminStats = { ...node.stats(), subscriptions };
  if (cluster) {
    stats.cluster = {
      nodeId: cluster.nodeId,
      links: cluster.links(),
      peers: cluster.peers(),
      cut: cluster.cuts(),
    };
  }
  return stats;
}
