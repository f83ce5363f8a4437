import { afterEach, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { RawPeer, WsPeer, cClientRequest, httpResponseRequest } from '../../helpers/SmqPeer.js';
import { TRANSPORTS, connectPeer, change, observe, openPeer } from '../../helpers/session.js';
import { waitFor } from '../../helpers/waitFor.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import { encodeConnect } from '../../../broker/src/protocol/connect.js';
import {
  seededHash,
  seededHashAuthenticator,
  sharedKeyAuthenticator,
} from '../../../broker/src/node/auth.js';
import type { NodeOptions } from '../../../broker/src/node/options.js';

let n: RunningNode | undefined;
afterEach(async () => {
  await n?.close();
  n = undefined;
});

/** A MAC with bytes that are not valid UTF-8: must survive byte for byte. */
const MAC = Buffer.from('24ffc412fe80', 'hex');

describe.each(TRANSPORTS)('handshake over %s', (transport) => {
  it('answers a C client Connect v2 (max-frame 0, binary uid and SHA-1 credentials) with Connack 0 and an ETID', async () => {
    const seen: Buffer[] = [];
    n = await startNode({
      hooks: {
        authenticate: (r) => {
          seen.push(r.uid, r.credentials);
          return seededHashAuthenticator('pw')(r);
        },
      },
    });
    const peer = await openPeer(n.port, transport);
    const seed = (await peer.next(PacketType.Init)).readUInt32BE(2);
    peer.send(
      encodeConnect({ version: 2, maxFrame: 0, uid: MAC, credentials: seededHash('pw', seed), info: 'LED' }),
    );
    const ack = await peer.next(PacketType.Connack);
    expect(ack.length).toBe(6);
    expect(ack[1]).toBe(0);
    expect(ack.readUInt32BE(2)).toBeGreaterThan(0xfffff);
    expect(seen[0]!.equals(MAC)).toBe(true);
    expect(seen[1]!.equals(seededHash('pw', seed))).toBe(true);
    expect(n.node.sessions()[0]!.uid).toBe('24ffc412fe80');
    peer.end();
  });

  it('accepts Connect v1 (no max-frame hint)', async () => {
    n = await startNode();
    const peer = await openPeer(n.port, transport);
    await peer.next(PacketType.Init);
    peer.send(encodeConnect({ version: 1, uid: MAC }));
    expect((await peer.next(PacketType.Connack))[1]).toBe(0);
    peer.end();
  });

  it('refuses a uid under 6 bytes with Connack 1, ETID 0, then closes', async () => {
    n = await startNode();
    const peer = await openPeer(n.port, transport);
    await peer.next(PacketType.Init);
    peer.send(encodeConnect({ uid: Buffer.from('12345') }));
    const ack = await peer.next(PacketType.Connack);
    expect(ack.subarray(0, 6).toString('hex')).toBe('030100000000');
    // The C client would take a 3-byte reason ("uid") for "accepted": raw C-style gets none.
    if (transport === 'raw') expect(ack.length).toBe(6);
    await peer.waitClosed();
  });

  it('refuses Connect version 3 with Connack 1', async () => {
    n = await startNode();
    const peer = await openPeer(n.port, transport);
    await peer.next(PacketType.Init);
    peer.send(Buffer.from('0203000006aabbccddeeff00', 'hex'));
    expect((await peer.next(PacketType.Connack))[1]).toBe(1);
    await peer.waitClosed();
  });

  it.each<[string, number, NodeOptions['hooks']]>([
    ['wrong seeded hash', 3, { authenticate: seededHashAuthenticator('right') }],
    ['wrong shared key', 3, { authenticate: sharedKeyAuthenticator('key') }],
    ['hook refusing without a code', 6, { authenticate: () => false }],
    ['async hook with a code', 5, { authenticate: async () => ({ code: 5 as const, reason: 'cert' }) }],
  ])('refuses (%s) with Connack %i and ETID 0, then closes', async (_name, code, hooks) => {
    n = await startNode({ hooks });
    const peer = await openPeer(n.port, transport);
    await peer.next(PacketType.Init);
    peer.send(encodeConnect({ uid: MAC, credentials: 'nope' }));
    const ack = await peer.next(PacketType.Connack);
    expect(ack[1]).toBe(code);
    expect(ack.readUInt32BE(2)).toBe(0);
    // A C client (raw TCP without SendSmqHttpResponse) would read a reason's 4th byte as the code.
    if (transport === 'raw') expect(ack.length).toBe(6);
    else expect(ack.length).toBeGreaterThan(6);
    expect(ack.length + 2).toBeLessThanOrEqual(127);
    await peer.waitClosed();
    expect(n.node.stats().closes.AuthRefused).toBe(1);
  });

  it('accepts the right shared key', async () => {
    n = await startNode({ hooks: { authenticate: sharedKeyAuthenticator('key') } });
    await connectPeer(n.port, transport, MAC, Buffer.from('key'));
  });

  it('replaces a duplicate uid: Disconnect "reconnect" to the old one, its ETID to the new one, Change(etid, 0) to observers', async () => {
    n = await startNode();
    const watcher = await connectPeer(n.port, transport);
    const first = await connectPeer(n.port, transport, MAC);
    observe(watcher.peer, first.etid);
    await watcher.peer.sync();
    const second = await connectPeer(n.port, transport, MAC);
    expect(second.etid).toBe(first.etid);
    const bye = await first.peer.next(PacketType.Disconnect);
    expect(bye.toString('latin1')).toBe('\x0breconnect');
    await first.peer.waitClosed();
    expect(change(await watcher.peer.next(PacketType.Change))).toEqual({ id: first.etid, count: 0 });
    expect(n.node.sessionByEtid(first.etid)?.state).toBe('ready');
    expect(second.peer.closed).toBe(false);
  });

  it('closes packets other than Connect during the handshake without a Disconnect', async () => {
    n = await startNode();
    const peer = await openPeer(n.port, transport);
    await peer.next(PacketType.Init);
    peer.send(Buffer.of(PacketType.Subscribe, 0x61));
    await peer.waitClosed();
    expect(peer.received.map((p) => p[0])).toEqual([PacketType.Init]);
  });

  it('gives distinct ETIDs with the node prefix in the high bits, never in the TID range', async () => {
    n = await startNode({ etidPrefix: 0x123 });
    const a = await connectPeer(n.port, transport);
    const b = await connectPeer(n.port, transport);
    expect(a.etid).not.toBe(b.etid);
    for (const e of [a.etid, b.etid]) expect(Math.floor(e / 2 ** 20)).toBe(0x123);
  });
});

describe('Connack reason text', () => {
  it('goes to clients that asked for the HTTP status block (Python, Java, Lua), not to C clients', async () => {
    n = await startNode({ hooks: { authenticate: () => ({ code: 3, reason: 'bad credentials' }) } });
    for (const [request, reason] of [
      [httpResponseRequest(), 'bad credentials'],
      [cClientRequest(), ''],
    ] as const) {
      const peer = await RawPeer.connect(n.port, request);
      await peer.next(PacketType.Init);
      peer.send(encodeConnect({ uid: MAC }));
      const ack = await peer.next(PacketType.Connack);
      expect(ack.toString('latin1', 6)).toBe(reason);
      expect(ack[1]).toBe(3);
    }
  });
});

describe('handshake timeout (no Connect in time)', () => {
  // Spec table: Connack 2; but rule 10 and issue #8 point 6: a Connack refusal makes the C LED
  // device stop reconnecting for good. Clients that read Connack reasons get Connack 2; C-style
  // raw clients are just closed, so they try again.
  it.each<[string, () => Promise<RawPeer | WsPeer>]>([
    ['a WebSocket client', () => WsPeer.connect(n!.port)],
    ['a raw client that sent SendSmqHttpResponse', () => RawPeer.connect(n!.port, httpResponseRequest())],
  ])('sends %s Connack 2, ETID 0, then closes', async (_who, open) => {
    n = await startNode({ limits: { handshakeTimeoutMs: 200 } });
    const peer = await open();
    await peer.next(PacketType.Init);
    const ack = await peer.next(PacketType.Connack);
    expect(ack.subarray(0, 6).toString('hex')).toBe('030200000000');
    await peer.waitClosed();
    expect(n.node.stats().closes.HandshakeTimeout).toBe(1);
  });

  it('just closes a C-style raw client (no SendSmqHttpResponse): no Connack, no Disconnect', async () => {
    n = await startNode({ limits: { handshakeTimeoutMs: 200 } });
    const peer = await RawPeer.connect(n.port, cClientRequest());
    await peer.next(PacketType.Init);
    await peer.waitClosed();
    expect(peer.received.map((p) => p[0])).toEqual([PacketType.Init]);
    expect(n.node.stats().closes.HandshakeTimeout).toBe(1);
  });
});

describe('load limits', () => {
  it('closes a connection over maxSessions before Init, never with a Connack', async () => {
    n = await startNode({ limits: { maxSessions: 1 } });
    await connectPeer(n.port, 'raw');
    for (const extra of [await RawPeer.connect(n.port), await WsPeer.connect(n.port)]) {
      await extra.waitClosed();
      expect(extra.received).toEqual([]);
    }
    await waitFor(() => n!.node.stats().closes.SessionLimit === 2, { what: 'two SessionLimit closes' });
  });
});
