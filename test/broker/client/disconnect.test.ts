import { describe, expect, it } from 'vitest';
import { startNode } from '../../helpers/startNode.js';
import { waitFor } from '../../helpers/waitFor.js';
import { CloseReason } from '../../../broker/src/index.js';
import type { CloseInfo } from '../../../broker/src/client/node.js';
import { CLIENT_TRANSPORTS, connected, holds, inbox, track, urlFor } from './clients.js';

describe.each(CLIENT_TRANSPORTS)('over %s', (t) => {
  it('reports the broker\'s Disconnect "reconnect" when its uid connects again elsewhere, and stays down', async () => {
    const n = track(await startNode());
    const old = await connected(urlFor(n.port, t), { uid: 'AA:BB:CC:00:00:01' });
    const etid = old.gettid();
    const closes = inbox<CloseInfo>();
    old.onclose = (_r, _re, info) => closes.push(info);
    const replacement = await connected(urlFor(n.port, t === 'ws' ? 'raw' : 'ws'), {
      uid: 'AA:BB:CC:00:00:01',
    });
    await waitFor(() => closes.got.length === 1, { what: 'onclose of the replaced client' });
    expect(closes.got[0]).toMatchObject({ reason: 'reconnect', cause: 'disconnect', reconnecting: false });
    expect(replacement.gettid()).toBe(etid);
    // Had it reconnected, the two would replace each other forever.
    await holds(() => replacement.connected && !old.connected, 300, 'replacement stays connected');
  });

  it('keeps two clients with different uids connected (negative control)', async () => {
    const n = track(await startNode());
    const a = await connected(urlFor(n.port, t), { uid: 'AA:BB:CC:00:00:01' });
    const b = await connected(urlFor(n.port, t), { uid: 'AA:BB:CC:00:00:02' });
    let closes = 0;
    a.onclose = () => closes++;
    await b.create('/x');
    await holds(() => a.connected && closes === 0, 100);
    expect(a.gettid()).not.toBe(b.gettid());
  });

  it('disconnect() sends Disconnect: the node closes the session as a client disconnect', async () => {
    const n = track(await startNode());
    const reasons: CloseReason[] = [];
    n.node.on('sessionClose', (_s, reason) => reasons.push(reason));
    const c = await connected(urlFor(n.port, t));
    const closes = inbox<CloseInfo>();
    c.onclose = (_r, _re, info) => closes.push(info);
    c.disconnect();
    await waitFor(() => reasons.length === 1);
    expect(reasons).toEqual([CloseReason.ClientDisconnect]);
    expect(closes.got).toEqual([expect.objectContaining({ cause: 'client', reconnecting: false })]);
    // And a create after the end resolves 0 instead of hanging.
    expect(await c.create('/after')).toBe(0);
  });
});
