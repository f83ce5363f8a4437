import { afterEach, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { connectPeer } from '../../helpers/session.js';
import { RawPeer } from '../../helpers/SmqPeer.js';
import { waitFor } from '../../helpers/waitFor.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';

let n: RunningNode | undefined;
afterEach(async () => {
  await n?.close();
  n = undefined;
});

describe('handshake deadlines: one timer per node, not one per connection', () => {
  it('times out each silent session at its own deadline, never earlier, and never one that connected', async () => {
    const timeoutMs = 300;
    n = await startNode({ limits: { handshakeTimeoutMs: timeoutMs } });
    /** Per session closed: how long after its Init, and why. */
    const closes: { reason: string; afterMs: number; connectedAt: number }[] = [];
    n.node.on('sessionClose', (s, reason) =>
      closes.push({ reason, afterMs: Date.now() - s.connectedAt, connectedAt: s.connectedAt }),
    );

    const a = await RawPeer.connect(n.port);
    await a.next(PacketType.Init);
    // The subject is time: the second silent client greets well inside the first one's window.
    await new Promise((r) => setTimeout(r, timeoutMs / 2));
    const b = await RawPeer.connect(n.port);
    await b.next(PacketType.Init);
    const c = await connectPeer(n.port, 'raw');

    await waitFor(() => closes.length >= 2, { what: 'both silent sessions closed' });
    expect(closes.map((x) => x.reason)).toEqual(['HandshakeTimeout', 'HandshakeTimeout']);
    expect(closes[1]!.connectedAt - closes[0]!.connectedAt).toBeGreaterThanOrEqual(timeoutMs / 2 - 2);
    // Date.now() and the timer clock round differently: a millisecond or two either way.
    for (const x of closes) expect(x.afterMs).toBeGreaterThanOrEqual(timeoutMs - 2);
    await a.waitClosed();
    await b.waitClosed();
    const cSession = n.node.sessionByEtid(c.etid)!;
    await waitFor(() => Date.now() > cSession.connectedAt + 2 * timeoutMs, {
      what: 'past the third deadline',
    });
    expect(n.node.sessionByEtid(c.etid)).toBe(cSession);
    expect(n.node.stats().closes.HandshakeTimeout).toBe(2);
  });
});
