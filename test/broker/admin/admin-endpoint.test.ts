import { afterEach, describe, expect, it } from 'vitest';
import { AdminEndpoint, type AdminClient } from '../../../broker/src/admin/AdminEndpoint.js';
import { startCluster, type ClusterMember } from '../../helpers/startCluster.js';
import { connectPeer, subscribe } from '../../helpers/session.js';
import { waitFor } from '../../helpers/waitFor.js';

const TOKEN = 'admin-token-for-tests';

describe('the admin endpoint', () => {
  let members: ClusterMember[] = [];
  afterEach(async () => {
    await Promise.all(members.map((m) => m.close()));
    members = [];
  });

  async function admin(m: ClusterMember, method: string, path: string, token = TOKEN): Promise<Response> {
    return fetch(`http://127.0.0.1:${m.port}/admin/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
    });
  }

  const upLinks = (m: ClusterMember): number => m.cluster.links().filter((l) => l.state === 'up').length;

  it('refuses requests without the token, or with a wrong one of the same length', async () => {
    members = await startCluster(1);
    new AdminEndpoint(members[0]!.node, members[0]!.server, TOKEN, members[0]!.cluster);
    const plain = await fetch(`http://127.0.0.1:${members[0]!.port}/admin/clients`);
    expect(plain.status).toBe(401);
    expect((await admin(members[0]!, 'GET', 'clients', TOKEN.replace('a', 'b'))).status).toBe(401);
    expect((await admin(members[0]!, 'GET', 'clients')).status).toBe(200);
  });

  it('lists clients with their topic names and disconnects one by ETID (typed close reason)', async () => {
    members = await startCluster(1);
    const [m] = members as [ClusterMember];
    new AdminEndpoint(m.node, m.server, TOKEN, m.cluster);
    const device = await connectPeer(m.port, 'raw');
    await subscribe(device.peer, '/m2m/led/display');
    const bystander = await connectPeer(m.port, 'ws');

    const { clients } = (await (await admin(m, 'GET', 'clients')).json()) as { clients: AdminClient[] };
    expect(clients.find((c) => c.etid === device.etid)).toMatchObject({
      transport: 'raw',
      topics: ['/m2m/led/display'],
    });
    expect((await admin(m, 'POST', `clients/${device.etid}/disconnect`)).status).toBe(200);
    await waitFor(() => device.peer.closed, { what: 'the client closed' });
    expect(m.node.stats().closes.ClosedByAdmin).toBe(1);
    expect(bystander.peer.closed).toBe(false);
    expect((await admin(m, 'POST', `clients/${device.etid}/disconnect`)).status).toBe(404);
  });

  it('cuts a link on both sides (no redial while cut) and restores it', async () => {
    members = await startCluster(2);
    const [a, b] = members as [ClusterMember, ClusterMember];
    new AdminEndpoint(a.node, a.server, TOKEN, a.cluster);
    new AdminEndpoint(b.node, b.server, TOKEN, b.cluster);
    expect((await admin(a, 'POST', 'links/n1/cut')).status).toBe(200);
    expect((await admin(b, 'POST', 'links/n0/cut')).status).toBe(200);
    await waitFor(() => upLinks(a) === 0 && upLinks(b) === 0, { what: 'the link cut' });
    // Backoff in tests is at most 400 ms: a second and a half without a link means no redial got in.
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      expect(upLinks(a) + upLinks(b)).toBe(0);
      await new Promise((r) => setTimeout(r, 50));
    }
    await admin(a, 'POST', 'links/n1/restore');
    await admin(b, 'POST', 'links/n0/restore');
    await waitFor(() => upLinks(a) === 1 && upLinks(b) === 1, { what: 'the link restored' });
  });
});
