import { afterAll, describe, expect, it } from 'vitest';
import { Child } from '../../helpers/ChildProcess.js';
import { useControlHost } from '../helpers/controlHost.js';
import { waitFor } from '../../helpers/waitFor.js';
import { ADMIN_TOKEN, spawnRemote } from '../helpers/remoteNodes.js';

/*
 * A remote smq-node restarted under another name (smq-node without --name picks a random one each
 * start): the app showed it under its old name on the cards and its new one in the links and tap.
 * The node the host reaches at that URL is one node, shown under the name it has now.
 */

const h = useControlHost('smq-cc-rename-', { connection: true });

afterAll(() => Child.killAll());

describe('a remote node restarted under a new name', () => {
  it('shows under its new name everywhere, and its start row says which name it had', async () => {
    const a = await spawnRemote('alpha', '127.0.0.2');
    const peer = `ws://127.0.0.2:${a.port}`;
    const b = await spawnRemote('bravo', '127.0.0.3', { peers: [peer] });
    await h.host.call('attachCluster', { urls: [a.origin, b.origin], adminToken: ADMIN_TOKEN });
    await h.ui.call('watchTap', { filter: {} });
    await waitFor(() => h.latest?.links.some((l) => l.state === 'up'), {
      timeout: 20_000,
      what: 'alpha ↔ bravo up',
    });

    b.child.kill();
    await waitFor(() => h.latest?.nodes.find((n) => n.id === 'bravo')?.state === 'unreachable', {
      timeout: 20_000,
      what: 'bravo unreachable',
    });
    await spawnRemote('charlie', '127.0.0.3', { port: b.port, peers: [peer] });

    await waitFor(() => h.latest?.nodes.find((n) => n.id === 'charlie')?.state === 'up', {
      timeout: 20_000,
      what: 'the node at bravo’s URL up as charlie',
    });
    expect(h.latest!.nodes.map((n) => n.id)).toEqual(['alpha', 'charlie']);
    await waitFor(
      () => h.latest?.links.some((l) => [l.a, l.b].sort().join() === 'alpha,charlie' && l.state === 'up'),
      { timeout: 20_000, what: 'the link alpha ↔ charlie, by the names the nodes use' },
    );
    const start = await waitFor(() => h.rows.find((r) => r.kind === 'nodeStart' && r.nodeId === 'charlie'), {
      timeout: 20_000,
      what: 'charlie’s nodeStart row',
    });
    expect(start.detail).toBe('restarted as charlie (was bravo)');
    expect(h.rows.filter((r) => r.kind === 'nodeStop').map((r) => r.nodeId)).toEqual(['bravo']);
  }, 120_000);
});
