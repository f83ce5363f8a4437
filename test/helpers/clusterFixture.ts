import { randomBytes } from 'node:crypto';
import type { ClusterOptions } from '../../broker/src/cluster/index.js';
import { startMember, TEST_TIMING, type ClusterMember } from './startCluster.js';
import { startNatsServer, type NatsServer } from './natsServer.js';
import { waitFor } from './waitFor.js';

export type ClusterTransport = 'mesh' | 'nats';

/**
 * N nodes of one cluster in this process, on the mesh or on NATS, so one suite states the
 * cluster's semantics once and runs them on both transports.
 */
export interface ClusterFixture {
  transport: ClusterTransport;
  /** Before the suite (NATS: starts a nats-server on loopback). */
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  /** Starts a node. Unlinked (`linked` false), it shares nothing with the others. */
  join(
    name: string,
    linked?: boolean,
    port?: number,
    options?: Partial<ClusterOptions>,
  ): Promise<ClusterMember>;
  /** Stops every node still running (after each test). */
  closeAll(): Promise<void>;
  /** The NATS server, for the NATS fixture. */
  nats?: NatsServer;
}

/** NATS presence as fast as the mesh's test timing: a gone node is seen within about 0.6 s. */
export const NATS_TEST_TIMING = {
  heartbeatMs: TEST_TIMING.heartbeatMs,
  deadAfterMs: TEST_TIMING.deadAfterMs,
};

/** Keeps the running members; close() of one also forgets it. */
class Members {
  readonly live: ClusterMember[] = [];

  track(m: ClusterMember): ClusterMember {
    const close = m.close;
    m.close = async () => {
      const i = this.live.indexOf(m);
      if (i < 0) return;
      this.live.splice(i, 1);
      await close();
    };
    this.live.push(m);
    return m;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.live].map((m) => m.close()));
  }
}

export function meshFixture(): ClusterFixture {
  const members = new Members();
  return {
    transport: 'mesh',
    setUp: async () => {},
    tearDown: async () => {},
    closeAll: () => members.closeAll(),
    async join(name, linked = true, port = 0, options = {}) {
      // Each node is told only the oldest running member (gossip finds the rest).
      const seed = linked ? members.live[0] : undefined;
      return members.track(
        await startMember(name, seed ? { peers: [seed.url], ...options } : options, {}, port),
      );
    },
  };
}

export function natsFixture(): ClusterFixture {
  const members = new Members();
  // A cluster name per run keeps the runs of other suites on this server apart.
  const cluster = `test-${randomBytes(4).toString('hex')}`;
  const f: ClusterFixture = {
    transport: 'nats',
    async setUp() {
      f.nats = await startNatsServer();
    },
    async tearDown() {
      await f.nats?.stop();
    },
    closeAll: () => members.closeAll(),
    async join(name, linked = true, port = 0, options = {}) {
      const own = linked ? cluster : `${cluster}-alone-${name}`;
      const nats = { servers: [f.nats!.url], cluster: own, timing: NATS_TEST_TIMING };
      return members.track(await startMember(name, { nats, ...options }, {}, port));
    },
  };
  return f;
}

/** Every member has taken every other one's snapshot (mesh: its Sync over the link). */
export async function waitForCluster(members: ClusterMember[], timeout = 10_000): Promise<void> {
  await waitFor(
    () => members.every((m) => members.every((o) => o === m || m.cluster.router.hasSynced(o.cluster.nodeId))),
    { timeout, what: `a cluster of ${members.length}` },
  );
}

/** `count` nodes n0, n1, ... of one cluster (or unlinked), formed before it returns. */
export async function startFixtureCluster(
  f: ClusterFixture,
  count: number,
  linked = true,
): Promise<ClusterMember[]> {
  const members: ClusterMember[] = [];
  for (let i = 0; i < count; i++) members.push(await f.join(`n${i}`, linked));
  if (linked) await waitForCluster(members);
  return members;
}
