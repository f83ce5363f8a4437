import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/waitFor.js';
import { frameToBuffer } from '../../../broker/src/protocol/framing.js';
import type { CloseInfo } from '../../../broker/src/client/node.js';
import { client, holds, inbox } from './clients.js';
import { FakeRawBroker } from '../../helpers/FakeRawBroker.js';

/**
 * A fake broker on raw TCP, written byte by byte from SMQ-PROTOCOL.md, to check what the client
 * puts on the wire (not only that our own broker accepts it).
 */
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const STATUS = 'HTTP/1.1 200 OK\r\nSmqBroker: true\r\n\r\n';
// Init: type 1, version 1, seed 0x01020304, IP "127.0.0.1".
const INIT = frameToBuffer(Buffer.concat([hex('01 01 01020304'), Buffer.from('127.0.0.1')]));

let fake: FakeRawBroker | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('raw TCP bytes against a fake broker', () => {
  it('bootstraps with HTTP/1.1, then sends Connect v2 with max-frame 0, uid, credentials from the seed, info', async () => {
    fake = await new FakeRawBroker((s) =>
      s.once('data', () => s.write(STATUS, () => s.write(INIT))),
    ).listen();
    client(`http://127.0.0.1:${fake.port}/smq.lsp`, {
      uid: Uint8Array.of(0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e),
      credentials: (seed, ip) => Buffer.from(`${seed.toString(16)}@${ip}`),
      info: 'LED',
    });
    const request = `GET /smq.lsp HTTP/1.1\r\nHost: 127.0.0.1:${fake.port}\r\nSimpleMQ: 1\r\nSendSmqHttpResponse: true\r\n\r\n`;
    const credentials = Buffer.from('1020304@127.0.0.1');
    const connect = frameToBuffer(
      Buffer.concat([
        hex('02 02 0000 06 001a2b3c4d5e'),
        Buffer.of(credentials.length),
        credentials,
        Buffer.from('LED'),
      ]),
    );
    const expected = Buffer.concat([Buffer.from(request, 'latin1'), connect]);
    await waitFor(() => fake!.received[0]?.length === expected.length, { what: 'request and Connect' });
    expect(fake.received[0]!.toString('hex')).toBe(expected.toString('hex'));
  });

  it('answers Ping with an empty Pong, and reports Disconnect "corrupt frame" without reconnecting', async () => {
    fake = await new FakeRawBroker((s) => {
      s.once('data', () =>
        s.write(STATUS, () => {
          s.write(INIT);
          s.once('data', () => s.write(frameToBuffer(hex('03 00 10000005'))));
        }),
      );
    }).listen();
    const c = client(`http://127.0.0.1:${fake.port}/`);
    const closes = inbox<CloseInfo>();
    c.onclose = (_r, _re, info) => closes.push(info);
    await waitFor(() => c.connected);
    expect(c.gettid()).toBe(0x10000005);
    const before = fake.received[0]!.length;
    fake.sockets[0]!.write(frameToBuffer(hex('0c')));
    await waitFor(() => fake!.received[0]!.length === before + 3, { what: 'Pong' });
    expect(fake.received[0]!.subarray(before).toString('hex')).toBe('00030d');

    fake.sockets[0]!.write(frameToBuffer(Buffer.concat([hex('0b'), Buffer.from('corrupt frame')])));
    await waitFor(() => closes.got.length === 1);
    expect(closes.got[0]).toMatchObject({
      reason: 'corrupt frame',
      cause: 'disconnect',
      reconnecting: false,
    });
    await holds(() => fake!.sockets.length === 1, 300, 'no second connection');
  });

  it('takes a non-200 status as "not a broker" and tries again', async () => {
    fake = await new FakeRawBroker((s) =>
      s.once('data', () => s.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n')),
    ).listen();
    const c = client(`http://127.0.0.1:${fake.port}/smq.lsp`);
    const errors = inbox<[string, boolean]>();
    c.onconnecterror = (_url, reason, retrying) => errors.push([reason, retrying]);
    await waitFor(() => errors.got.length >= 2);
    expect(errors.got[0]).toEqual(['not an SMQ broker: HTTP/1.1 404 Not Found', true]);
    expect(fake.sockets.length).toBeGreaterThanOrEqual(2);
  });

  it('closes and retries when the broker sends a type no client accepts (type 10)', async () => {
    fake = await new FakeRawBroker((s, i) => {
      s.once('data', () =>
        s.write(STATUS, () => {
          s.write(INIT);
          s.once('data', () => {
            s.write(frameToBuffer(hex('03 00 10000005')));
            if (i === 0) s.write(frameToBuffer(hex('0a')));
          });
        }),
      );
    }).listen();
    const c = client(`http://127.0.0.1:${fake.port}/`);
    const closes = inbox<CloseInfo>();
    c.onclose = (_r, _re, info) => closes.push(info);
    await waitFor(() => closes.got.length === 1 && fake!.sockets.length === 2 && c.connected);
    expect(closes.got[0]).toMatchObject({
      reason: 'unexpected packet type 10',
      cause: 'protocol',
      reconnecting: true,
    });
  });

  it('gives up an attempt that gets no Connack in time, and tries again', async () => {
    fake = await new FakeRawBroker(() => {}).listen();
    const c = client(`http://127.0.0.1:${fake.port}/`, { handshakeTimeoutMs: 100 });
    const errors = inbox<string>();
    c.onconnecterror = (_url, reason) => errors.push(reason);
    await waitFor(() => errors.got.length >= 2 && fake!.sockets.length >= 2);
    expect(errors.got[0]).toBe('no Connack in time');
  });
});
