import { randomBytes } from 'node:crypto';
import { SECRET, spawnNode, type NodeProcess } from './nodeProcess.js';
import { startNatsServer, type NatsServer } from './natsServer.js';
import { waitFor } from './waitFor.js';
import type { PeerSnapshot } from '../../broker/src/cluster/index.js';
import type { NatsBackplaneInfo } from '../../broker/src/cluster/nats/NatsBackplane.js';

/**
 * smq-node processes of one cluster on the mesh (--peer) or on NATS (--nats), so the process
 * suites state their claims once for both transports.
 */
export interface ProcessFixture {
  transport: 'mesh' | 'nats';
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  /** The flags that make a node join: linked to `seed` (mesh) or the shared NATS cluster. */
  joinArgs(seed: NodeProcess | undefined, linked: boolean): string[];
  nats?: NatsServer;
}

export function meshProcesses(): ProcessFixture {
  return {
    transport: 'mesh',
    setUp: async () => {},
    tearDown: async () => {},
    joinArgs: (seed, linked) => (linked && seed ? [...SECRET, '--peer', seed.url] : SECRET),
  };
}

export function natsProcesses(): ProcessFixture {
  const cluster = `proc-${randomBytes(4).toString('hex')}`;
  const f: ProcessFixture = {
    transport: 'nats',
    async setUp() {
      f.nats = await startNatsServer();
    },
    async tearDown() {
      await f.nats?.stop();
    },
    joinArgs: (_seed, linked) => [
      '--nats',
      f.nats!.url,
      '--cluster',
      linked ? cluster : `${cluster}-alone-${randomBytes(3).toString('hex')}`,
    ],
  };
  return f;
}

interface ClusterHealth {
  cluster?: { peers: PeerSnapshot[]; nats?: NatsBackplaneInfo };
}

/** Every node sees every other one (NATS: with its snapshot taken). */
export async function waitForProcessCluster(nodes: NodeProcess[], timeout = 15_000): Promise<void> {
  for (const n of nodes) {
    await waitFor(
      async () => {
        const h = (await (await fetch(`http://127.0.0.1:${n.port}/health`)).json()) as ClusterHealth;
        const peers = h.cluster?.peers.length ?? 0;
        return peers === nodes.length - 1 && !h.cluster?.nats?.peers.some((p) => p.awaitingSnapshot);
      },
      { timeout, what: `a cluster of ${nodes.length} processes` },
    );
  }
}

/** a, then b and c joining (mesh: told only a); unlinked: the same processes not joined. */
export async function spawnFixtureCluster(
  f: ProcessFixture,
  linked: boolean,
  names = ['a', 'b', 'c'],
): Promise<NodeProcess[]> {
  const nodes: NodeProcess[] = [];
  for (const name of names) nodes.push(await spawnNode(name, f.joinArgs(nodes[0], linked)));
  if (linked) await waitForProcessCluster(nodes);
  return nodes;
}
