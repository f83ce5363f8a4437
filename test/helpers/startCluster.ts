import { Cluster, type ClusterOptions } from '../../broker/src/cluster/index.js';
import type { NodeOptions } from '../../broker/src/node/options.js';
import { startNode, type RunningNode } from './startNode.js';
import { waitFor } from './waitFor.js';

export interface ClusterMember extends RunningNode {
  cluster: Cluster;
  url: string;
}

/** Fast link timing for tests: partitions and deaths are seen within about half a second. */
export const TEST_TIMING = { heartbeatMs: 100, deadAfterMs: 500, handshakeTimeoutMs: 2000 };

/** Starts one clustered node on 127.0.0.1, port 0. */
export async function startMember(
  name: string,
  cluster: Partial<ClusterOptions> = {},
  node: NodeOptions = {},
  port = 0,
): Promise<ClusterMember> {
  const n = await startNode({ name, ...node }, { port });
  const c = new Cluster(n.node, n.server, {
    secret: 'test-secret',
    timing: TEST_TIMING,
    backoffBaseMs: 50,
    backoffMaxMs: 400,
    ...cluster,
  });
  return {
    ...n,
    cluster: c,
    url: `ws://127.0.0.1:${n.port}`,
    close: async () => {
      c.close();
      await n.close();
    },
  };
}

/** `count` nodes; each is told only the first one (gossip must find the rest). Unlinked when `link` is false. */
export async function startCluster(count: number, link = true): Promise<ClusterMember[]> {
  const first = await startMember('n0');
  const members = [first];
  for (let i = 1; i < count; i++)
    members.push(await startMember(`n${i}`, link ? { peers: [first.url] } : {}));
  if (link) await waitForMesh(members);
  return members;
}

export async function waitForMesh(members: ClusterMember[], timeout = 5000): Promise<void> {
  await waitFor(
    () =>
      members.every((m) => m.cluster.links().filter((l) => l.state === 'up').length === members.length - 1),
    { timeout, what: `a full mesh of ${members.length}` },
  );
}
