import { afterEach, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { WsPeer } from '../../helpers/SmqPeer.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import { OriginPolicy } from '../../../broker/src/node/OriginPolicy.js';

let n: RunningNode | undefined;
afterEach(async () => {
  await n?.close();
  n = undefined;
});

describe('WebSocket Origin policy', () => {
  it.each([
    ['no Origin (a device)', undefined],
    ['a loopback page on another port', 'http://127.0.0.1:5173'],
    ['localhost', 'http://localhost:3000'],
    ['IPv6 loopback', 'http://[::1]:9000'],
    ['an allowed origin', 'https://panel.example.com'],
  ])('accepts %s', async (_name, origin) => {
    n = await startNode({}, { allowOrigins: ['https://panel.example.com'] });
    const peer = await WsPeer.connect(n.port, '/smq.lsp', origin ? { Origin: origin } : {});
    expect((await peer.next(PacketType.Init))[0]).toBe(PacketType.Init);
    peer.end();
  });

  it('refuses a foreign Origin with 403 and counts it; no session is created', async () => {
    n = await startNode();
    await expect(WsPeer.connect(n.port, '/smq.lsp', { Origin: 'https://evil.example' })).rejects.toThrow(
      /403/,
    );
    expect(n.node.stats().closes.OriginRefused).toBe(1);
    expect(n.node.stats().sessionsOpened).toBe(0);
  });

  it('takes the own origin from the bound address, not from the Host header (DNS rebinding)', () => {
    const p = new OriginPolicy('192.168.1.5', 8080);
    expect(p.allows('http://192.168.1.5:8080')).toBe(true);
    expect(p.allows('http://192.168.1.5:8081')).toBe(false);
    expect(p.allows('http://rebind.example:8080')).toBe(false);
    expect(p.allows('file://')).toBe(false);
    expect(p.allows('null')).toBe(false);
  });
});
