import { afterEach, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { RawPeer } from '../../helpers/SmqPeer.js';
import {
  TRANSPORTS,
  connectPeer,
  createsub,
  openPeer,
  publish,
  published,
  subscribe,
} from '../../helpers/session.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import { encodeConnect } from '../../../broker/src/protocol/connect.js';
import { encodeNameRequest } from '../../../broker/src/protocol/names.js';
import type { AuthResult, LogLevel, NodeHooks } from '../../../broker/src/node/options.js';

let n: RunningNode | undefined;
afterEach(async () => {
  await n?.close();
  n = undefined;
});

const MAC = Buffer.from('24ffc412fe80', 'hex');

interface LogLine {
  level: LogLevel;
  message: string;
  fields: Record<string, unknown> | undefined;
}

async function nodeWithHooks(hooks: NodeHooks, limits = {}): Promise<{ logs: LogLine[] }> {
  const logs: LogLine[] = [];
  n = await startNode({
    hooks,
    limits,
    log: (level, message, fields) => logs.push({ level, message, fields }),
  });
  return { logs };
}

const boom = (): never => {
  throw new Error('hook bug');
};

describe.each(TRANSPORTS)('authenticate hook answers over %s', (t) => {
  it.each<[string, NodeHooks['authenticate']]>([
    ['resolves undefined', async () => undefined as unknown as AuthResult],
    ['returns undefined', () => undefined as unknown as AuthResult],
    ['resolves null', async () => null as unknown as AuthResult],
    ['returns an object without a code', () => ({}) as unknown as AuthResult],
    ['returns a string', () => 'yes' as unknown as AuthResult],
  ])(
    'refuses with Connack 6 (AccessDenied) when it %s, and the node carries on',
    async (_what, authenticate) => {
      await nodeWithHooks({ authenticate });
      const peer = await openPeer(n!.port, t);
      await peer.next(PacketType.Init);
      peer.send(encodeConnect({ uid: MAC }));
      const ack = await peer.next(PacketType.Connack);
      expect(ack.subarray(0, 6).toString('hex')).toBe('030600000000');
      await peer.waitClosed();
      expect(n!.node.stats().closes.AuthRefused).toBe(1);
    },
  );
});

describe('an authenticate hook that never settles', () => {
  const never = (): Promise<AuthResult> => new Promise<AuthResult>(() => {});

  it('closes a C-style raw client at the handshake deadline, without a Connack', async () => {
    await nodeWithHooks({ authenticate: never }, { handshakeTimeoutMs: 200 });
    const peer = await RawPeer.connect(n!.port);
    await peer.next(PacketType.Init);
    peer.send(encodeConnect({ uid: MAC }));
    await peer.waitClosed();
    expect(peer.received.map((p) => p[0])).toEqual([PacketType.Init]);
    expect(n!.node.stats()).toMatchObject({ handshaking: 0, closes: { HandshakeTimeout: 1 } });
  });

  it('answers a WebSocket client with Connack 2 at the handshake deadline, then closes', async () => {
    await nodeWithHooks({ authenticate: never }, { handshakeTimeoutMs: 200 });
    const peer = await openPeer(n!.port, 'ws');
    await peer.next(PacketType.Init);
    peer.send(encodeConnect({ uid: MAC }));
    expect((await peer.next(PacketType.Connack)).subarray(0, 6).toString('hex')).toBe('030200000000');
    await peer.waitClosed();
    expect(n!.node.stats()).toMatchObject({ handshaking: 0, closes: { HandshakeTimeout: 1 } });
  });
});

describe('policy hooks that throw', () => {
  it('permitTopic: the Subscribe and Create are denied (status 1, id 0), the error is logged, the node carries on', async () => {
    const { logs } = await nodeWithHooks({ permitTopic: boom });
    const c = await connectPeer(n!.port, 'raw');
    c.peer.send(encodeNameRequest(PacketType.Subscribe, '/t'));
    expect((await c.peer.next(PacketType.Suback)).toString('hex')).toBe('050100000000' + '2f74');
    c.peer.send(encodeNameRequest(PacketType.Create, '/t'));
    expect((await c.peer.next(PacketType.Createack)).toString('hex')).toBe('070100000000' + '2f74');
    expect(await c.peer.sync()).toEqual([]);
    expect(logs.some((l) => l.level === 'error' && l.fields?.hook === 'permitTopic')).toBe(true);
    expect(n!.node.stats().topics).toBe(0);
  });

  it('permitSubtopic: the Createsub is denied, the error is logged, the node carries on', async () => {
    const { logs } = await nodeWithHooks({ permitSubtopic: boom });
    const c = await connectPeer(n!.port, 'ws');
    c.peer.send(encodeNameRequest(PacketType.Createsub, 'devinfo'));
    expect((await c.peer.next(PacketType.Createsuback)).toString('hex')).toBe(
      '120100000000' + Buffer.from('devinfo').toString('hex'),
    );
    expect(await subscribe(c.peer, '/t')).toBeGreaterThan(0);
    expect(logs.some((l) => l.level === 'error' && l.fields?.hook === 'permitSubtopic')).toBe(true);
  });

  it('onPublish: the message passes, the error is logged', async () => {
    const { logs } = await nodeWithHooks({ onPublish: boom });
    const sub = await connectPeer(n!.port, 'raw');
    const tid = await subscribe(sub.peer, '/t');
    const pub = await connectPeer(n!.port, 'ws');
    publish(pub, tid, 'still here');
    expect(published(await sub.peer.next(PacketType.Publish)).payload).toBe('still here');
    expect(logs.some((l) => l.level === 'error' && l.fields?.hook === 'onPublish')).toBe(true);
  });

  it('onDrop: ignored and logged; the publisher and the node carry on', async () => {
    const { logs } = await nodeWithHooks({ onDrop: boom });
    const pub = await connectPeer(n!.port, 'raw');
    const tid = await subscribe(pub.peer, '/t');
    publish(pub, 0x7ffffff0, 'nobody');
    expect(await createsub(pub.peer, 'after')).toBeGreaterThan(0);
    publish(pub, tid, 'self');
    expect(published(await pub.peer.next(PacketType.Publish)).payload).toBe('self');
    expect(n!.node.stats().drops.noReceiver).toBe(1);
    expect(logs.some((l) => l.level === 'error' && l.fields?.hook === 'onDrop')).toBe(true);
  });
});
