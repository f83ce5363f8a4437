import { afterEach, describe, expect, it } from 'vitest';
import { AdminEndpoint } from '../../../broker/src/admin/AdminEndpoint.js';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { connectPeer, publish, subscribe } from '../../helpers/session.js';
import { waitFor } from '../../helpers/waitFor.js';
import { AdminWs, TOKEN } from './adminClient.js';

let n: RunningNode | undefined;
const admins: AdminWs[] = [];
afterEach(async () => {
  for (const a of admins.splice(0)) a.close();
  await n?.close();
  n = undefined;
});

describe('admin stats frames', () => {
  it('arrive about once a second without asking, with the node’s counters', async () => {
    n = await startNode({ name: 'counted' });
    new AdminEndpoint(n.node, n.server, TOKEN);
    const admin = await AdminWs.open(n.port);
    admins.push(admin);
    const arrivals: number[] = [];
    admin.ws.on('message', (d: Buffer) => void (d.includes('"t":"stats"') && arrivals.push(Date.now())));
    const sub = await connectPeer(n.port, 'ws');
    const pub = await connectPeer(n.port, 'raw');
    const tid = await subscribe(sub.peer, 'counted');
    await subscribe(pub.peer, 'counted');
    publish(pub, tid, '0123456789');
    publish(pub, 0x7ffffff0, 'nobody');
    await pub.peer.sync();
    await sub.peer.sync();
    await waitFor(() => arrivals.length >= 3, { timeout: 5000, what: 'three stats frames' });
    const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]!);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThan(800);
      expect(gap).toBeLessThan(1500);
    }
    const stats = admin.frames.filter((f) => f.t === 'stats').at(-1)!;
    expect(stats).toMatchObject({
      t: 'stats',
      stats: {
        name: 'counted',
        sessions: 2,
        topics: 1,
        subscriptions: 2,
        publishes: 2,
        deliveries: 2,
        drops: { noReceiver: 1, hook: 0, slowConsumer: 0 },
      },
    });
    expect(stats.t === 'stats' && stats.stats.traffic.msgsIn).toBeGreaterThan(0);
    expect(stats.t === 'stats' && stats.stats.cluster).toBeUndefined();
  });

  it('answers a stats request at once', async () => {
    n = await startNode({ name: 'asked' });
    new AdminEndpoint(n.node, n.server, TOKEN);
    const admin = await AdminWs.open(n.port);
    admins.push(admin);
    admin.send({ op: 'stats', id: 1 });
    const f = await admin.next('stats', (s) => s.id === 1, 500);
    expect(f.stats).toMatchObject({ name: 'asked', sessions: 0, subscriptions: 0 });
  });
});
