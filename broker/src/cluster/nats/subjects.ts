import { createHash } from 'node:crypto';

/**
 * NATS subjects of one SMQ cluster. Names of any bytes (topic names, the cluster name) become one
 * subject token: `b` + base64url of the bytes when short, else `h` + base64url of their SHA-256.
 * base64url uses only [A-Za-z0-9_-], never the `.`, `*`, `>` or white space that NATS reserves;
 * the leading letter keeps the two forms apart. Two long names could share a hash token only by a
 * SHA-256 collision, and even then nothing is misrouted: every topic publish carries its full name
 * and the receiving node translates that name, never the subject, to its own TID.
 */
const MAX_PLAIN_BYTES = 32;

export function nameToken(name: Buffer): string {
  if (name.length <= MAX_PLAIN_BYTES) return `b${name.toString('base64url')}`;
  return `h${createHash('sha256').update(name).digest('base64url')}`;
}

export interface ClusterSubjects {
  /** Heartbeats, hellos and goodbyes of every node. */
  presence: string;
  /** Sequenced directory and interest deltas of every node. */
  deltas: string;
  /** One node's inbox: ETID publishes, snapshots and hellos sent to it alone. */
  node(nodeId: string): string;
  /** One topic's publishes; a node subscribes while it has local subscribers. */
  topic(name: Buffer): string;
}

/** Topic subjects remembered, so a publish does not encode or hash its name again; then cleared. */
const MAX_REMEMBERED = 10_000;

export function clusterSubjects(cluster: string): ClusterSubjects {
  const root = `smq.${nameToken(Buffer.from(cluster, 'utf8'))}`;
  const topics = new Map<string, string>();
  return {
    presence: `${root}.p`,
    deltas: `${root}.d`,
    node: (nodeId) => `${root}.n.${nameToken(Buffer.from(nodeId, 'utf8'))}`,
    topic: (name) => {
      const key = name.toString('latin1');
      let subject = topics.get(key);
      if (subject === undefined) {
        if (topics.size >= MAX_REMEMBERED) topics.clear();
        subject = `${root}.t.${nameToken(name)}`;
        topics.set(key, subject);
      }
      return subject;
    },
  };
}
