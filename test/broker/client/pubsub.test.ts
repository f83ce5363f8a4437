import { describe, expect, it } from 'vitest';
import { startNode } from '../../helpers/startNode.js';
import { waitFor } from '../../helpers/waitFor.js';
import type { TapPublishEvent } from '../../../broker/src/index.js';
import { CLIENT_PAIRS, CLIENT_TRANSPORTS, connected, inbox, track, urlFor } from './clients.js';

interface Msg<T> {
  data: T;
  ptid: number;
  tid: number;
  subtid: number;
}
const msg =
  <T>(push: (m: Msg<T>) => void) =>
  (data: T, ptid: number, tid: number, subtid: number): void =>
    push({ data, ptid, tid, subtid });

describe.each(CLIENT_PAIRS)('publisher on %s, subscriber on %s, one node', (pubT, subT) => {
  it('delivers JSON, binary and text to the handler of their sub-topic, with ids the receiver knows', async () => {
    const n = track(await startNode());
    const sub = await connected(urlFor(n.port, subT));
    const pub = await connected(urlFor(n.port, pubT));
    const bystander = await connected(urlFor(n.port, subT));
    const devinfo = inbox<Msg<unknown>>();
    const led = inbox<Msg<Uint8Array>>();
    const plain = inbox<Msg<string>>();
    const other = inbox<Msg<string>>();
    const topic = '/m2m/led/device';
    await sub.subscribe(topic, { subtopic: 'devinfo', datatype: 'json', onmsg: msg(devinfo.push) });
    await sub.subscribe(topic, { subtopic: 'led', onmsg: msg(led.push) });
    const tid = await sub.subscribe(topic, { datatype: 'text', onmsg: msg(plain.push) });
    await bystander.subscribe('/m2m/led/display', { datatype: 'text', onmsg: msg(other.push) });
    await sub.subscribe('/m2m/led/display', { datatype: 'text', onmsg: () => {} });

    pub.pubjson({ devname: 'dev 1', leds: [{ id: 1, on: true }] }, topic, 'devinfo');
    pub.publish(Uint8Array.of(1, 1), topic, 'led');
    pub.publish('plain ü', topic);
    pub.publish('barrier', '/m2m/led/display');
    await waitFor(() => other.got.length === 1, { what: 'barrier at the bystander' });
    await waitFor(() => plain.got.length === 1, { what: 'plain message' });

    const base = { ptid: pub.gettid(), tid };
    expect(tid).toBe(sub.topic2tid(topic));
    expect(sub.tid2topic(tid)).toBe(topic);
    expect(devinfo.got).toEqual([
      {
        ...base,
        subtid: sub.subtopic2tid('devinfo'),
        data: { devname: 'dev 1', leds: [{ id: 1, on: true }] },
      },
    ]);
    expect(led.got.map((m) => ({ ...m, data: [...m.data] }))).toEqual([
      { ...base, subtid: sub.subtopic2tid('led'), data: [1, 1] },
    ]);
    expect(plain.got).toEqual([{ ...base, subtid: 0, data: 'plain ü' }]);
    // Negative control: a client subscribed elsewhere got only the barrier.
    expect(other.got.map((m) => m.data)).toEqual(['barrier']);
    expect(bystander.stats.unhandledMessages).toBe(0);
  });

  it('sends a message to an ETID, and the reply to its PTID comes back to the sender only', async () => {
    const n = track(await startNode());
    const a = await connected(urlFor(n.port, pubT));
    const b = await connected(urlFor(n.port, subT));
    const c = await connected(urlFor(n.port, subT));
    const atA = inbox<Msg<string>>();
    const atC = inbox<Msg<string>>();
    await a.subscribe('self', { datatype: 'text', onmsg: msg(atA.push) });
    await c.subscribe('self', { datatype: 'text', onmsg: msg(atC.push) });
    await b.subscribe('self', { datatype: 'text', onmsg: (text, ptid) => b.publish(`re: ${text}`, ptid) });

    a.publish('hello', b.gettid());
    await waitFor(() => atA.got.length === 1, { what: 'reply at a' });
    expect(atA.got).toEqual([{ data: 're: hello', ptid: b.gettid(), tid: a.gettid(), subtid: 0 }]);
    // Negative control: c, on the same node, saw nothing of it; it gets only what is sent to it.
    a.publish('only for c', c.gettid());
    await waitFor(() => atC.got.length === 1);
    expect(atC.got.map((m) => m.data)).toEqual(['only for c']);
  });

  it('keeps publish order when the first message waits for its topic to be created', async () => {
    const n = track(await startNode());
    const sub = await connected(urlFor(n.port, subT));
    const pub = await connected(urlFor(n.port, pubT));
    const got = inbox<string>();
    await sub.subscribe('/new', { datatype: 'text', onmsg: got.push });
    await sub.subscribe('/known', { datatype: 'text', onmsg: got.push });
    await pub.create('/known');
    expect(pub.topic2tid('/new')).toBeUndefined();
    pub.publish('first', '/new');
    pub.publish('second', '/known');
    pub.publish('third', '/new', 'fresh sub-topic');
    await waitFor(() => got.got.length === 3);
    expect(got.got).toEqual(['first', 'second', 'third']);
  });

  it('stops delivering a topic after unsubscribe', async () => {
    const n = track(await startNode());
    const sub = await connected(urlFor(n.port, subT));
    const pub = await connected(urlFor(n.port, pubT));
    const got = inbox<string>();
    await sub.subscribe('/a', { datatype: 'text', onmsg: got.push });
    await sub.subscribe('/b', { datatype: 'text', onmsg: got.push });
    pub.publish('a1', '/a');
    await waitFor(() => got.got.length === 1);
    sub.unsubscribe('/a');
    // The Unsubscribe has reached the node once its subscriber count for /a is 0.
    const tidA = n.node.topics.names.idOf(Buffer.from('/a'));
    await waitFor(() => tidA !== undefined && n.node.topics.count(tidA) === 0, { what: 'unsubscribed' });
    pub.publish('a2', '/a');
    pub.publish('b1', '/b');
    await waitFor(() => got.got.length === 2);
    expect(got.got).toEqual(['a1', 'b1']);
  });
});

describe.each(CLIENT_TRANSPORTS)('publish to self over %s', (t) => {
  it("resolves 'self' to the own ETID on the client and dispatches by sub-topic to 'self' handlers", async () => {
    const n = track(await startNode());
    const taps: TapPublishEvent[] = [];
    n.node.on('tap', (e) => void (e.kind === 'publish' && taps.push(e)));
    const c = await connected(urlFor(n.port, t));
    const devinfo = inbox<unknown>();
    const plain = inbox<string>();
    await c.subscribe('self', { subtopic: 'devinfo', datatype: 'json', onmsg: devinfo.push });
    expect(await c.subscribe('self', { datatype: 'text', onmsg: plain.push })).toBe(c.gettid());
    c.pubjson({ devname: 'me' }, 'self', 'devinfo');
    c.publish('to myself', 'self');
    await waitFor(() => plain.got.length === 1 && devinfo.got.length === 1);
    expect(devinfo.got).toEqual([{ devname: 'me' }]);
    expect(plain.got).toEqual(['to myself']);
    // The broker never saw the word 'self': both went to the ETID.
    expect(taps.map((e) => [e.destKind, e.dest])).toEqual([
      ['etid', c.gettid()],
      ['etid', c.gettid()],
    ]);
  });
});
