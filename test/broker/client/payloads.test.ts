import { describe, expect, it } from 'vitest';
import { startNode } from '../../helpers/startNode.js';
import { waitFor } from '../../helpers/waitFor.js';
import { MAX_PAYLOAD } from '../../../broker/src/protocol/constants.js';
import { MAX_NAME } from '../../../broker/src/client/wire.js';
import { client, connected, inbox, track, urlFor } from './clients.js';

describe('payloads', () => {
  it('hands bytes that are not UTF-8 or not JSON to onmsg instead of the text/JSON handler', async () => {
    const n = track(await startNode());
    const sub = await connected(urlFor(n.port, 'ws'));
    const pub = await connected(urlFor(n.port, 'raw'));
    const text = inbox<string>();
    const json = inbox<unknown>();
    const raw = inbox<number[]>();
    await sub.subscribe('/text', { datatype: 'text', onmsg: text.push });
    await sub.subscribe('/json', { datatype: 'json', onmsg: json.push });
    sub.onmsg = (data) => raw.push([...data]);
    pub.publish(Uint8Array.of(0xff, 0xfe), '/text');
    pub.publish('{not json', '/json');
    pub.publish('ok', '/text');
    pub.pubjson([1], '/json');
    await waitFor(() => text.got.length === 1 && json.got.length === 1);
    expect(text.got).toEqual(['ok']);
    expect(json.got).toEqual([[1]]);
    expect(raw.got).toEqual([[0xff, 0xfe], [...Buffer.from('{not json')]]);
  });

  it('counts messages no handler took when there is no onmsg, instead of losing them silently', async () => {
    const n = track(await startNode());
    const sub = await connected(urlFor(n.port, 'raw'));
    const text = inbox<string>();
    await sub.subscribe('/text', { datatype: 'text', onmsg: text.push });
    sub.publish(Uint8Array.of(0xc3), '/text');
    sub.publish('after', '/text');
    await waitFor(() => text.got.length === 1);
    expect(sub.stats.unhandledMessages).toBe(1);
  });

  it('carries the largest payload any receiver can take, from WebSocket to raw TCP, and refuses one byte more', async () => {
    const n = track(await startNode());
    const sub = await connected(urlFor(n.port, 'raw'));
    const pub = await connected(urlFor(n.port, 'ws'));
    const got = inbox<Uint8Array>();
    await sub.subscribe('/big', { onmsg: got.push });
    const big = new Uint8Array(MAX_PAYLOAD).map((_, i) => i % 251);
    expect(() => pub.publish(new Uint8Array(MAX_PAYLOAD + 1), '/big')).toThrow(RangeError);
    pub.publish(big, '/big');
    await waitFor(() => got.got.length === 1);
    expect(got.got[0]!.length).toBe(MAX_PAYLOAD);
    expect(Buffer.compare(got.got[0]!, big)).toBe(0);
    expect(pub.connected).toBe(true);
    expect(sub.connected).toBe(true);
  });

  it('creates a topic with the longest name an ack can carry over raw TCP, and refuses one byte more', async () => {
    const n = track(await startNode({ limits: { maxTopicNameLength: 0x10000 } }));
    const c = await connected(urlFor(n.port, 'raw'));
    const longest = 'n'.repeat(MAX_NAME);
    const tooLong = `${longest}n`;
    expect(() => c.create(tooLong)).toThrow(RangeError);
    expect(() => c.subscribe('/t', { subtopic: tooLong, onmsg: () => {} })).toThrow(RangeError);
    expect(() => c.publish('x', tooLong)).toThrow(RangeError);
    const tid = await c.create(longest);
    expect(tid).toBeGreaterThan(0);
    expect(c.topic2tid(longest)).toBe(tid);
    expect(c.connected).toBe(true);
  });

  it('counts publishes dropped from a full queue while no node answers, and the rest when it gives up', async () => {
    const gone = await startNode();
    await gone.close();
    const c = client(urlFor(gone.port, 'ws'), { maxQueuedPublishes: 2 });
    for (let i = 0; i < 5; i++) c.publish(`m${i}`, '/t');
    expect(c.stats.droppedPublishes).toBe(3);
    c.disconnect();
    expect(c.stats.droppedPublishes).toBe(5);
    c.publish('after the end', '/t');
    expect(c.stats.droppedPublishes).toBe(6);
  });
});
