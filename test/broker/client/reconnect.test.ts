import { describe, expect, it } from 'vitest';
import { startNode } from '../../helpers/startNode.js';
import { waitFor } from '../../helpers/waitFor.js';
import type { CloseInfo } from '../../../broker/src/client/node.js';
import { CLIENT_TRANSPORTS, client, connected, inbox, track, urlFor } from './clients.js';

describe.each(CLIENT_TRANSPORTS)('over %s', (t) => {
  it('reconnects when its node restarts on the same port, with new ids, subscriptions and observations', async () => {
    const first = track(await startNode());
    const port = first.port;
    const sub = await connected(urlFor(port, t));
    const closes = inbox<CloseInfo>();
    const reconnects = inbox<number>();
    sub.onclose = (_reason, _reconnecting, info) => closes.push(info);
    sub.onreconnect = (etid) => reconnects.push(etid);
    const temps = inbox<string>();
    const mine = inbox<string>();
    const counts = inbox<number>();
    await sub.subscribe('/m2m/temp', { datatype: 'text', onmsg: temps.push });
    await sub.subscribe('self', { subtopic: 'devinfo', datatype: 'text', onmsg: mine.push });
    sub.observe('/m2m/led/device', (count) => counts.push(count));
    await waitFor(() => counts.got.length === 1);
    const oldTid = sub.topic2tid('/m2m/temp');

    await first.close();
    await waitFor(() => closes.got.length === 1, { what: 'onclose' });
    expect(closes.got[0]).toMatchObject({ cause: 'lost', reconnecting: true });
    // The new node pre-registers the names at other TIDs: the client must learn them again.
    const second = track(
      await startNode({ topics: { '/m2m/temp': 4242, '/m2m/led/device': 4343 } }, { port }),
    );
    await waitFor(() => reconnects.got.length === 1, { what: 'onreconnect', timeout: 10_000 });
    expect(reconnects.got[0]).toBe(sub.gettid());
    expect(sub.topic2tid('/m2m/temp')).toBe(4242);
    expect(oldTid).not.toBe(4242);

    const pub = await connected(urlFor(second.port, t === 'ws' ? 'raw' : 'ws'));
    await pub.subscribe('/m2m/led/device', { onmsg: () => {} });
    pub.publish('21.5', '/m2m/temp');
    pub.publish('hello again', sub.gettid(), 'devinfo');
    await waitFor(() => temps.got.length === 1 && mine.got.length === 1 && counts.got.length >= 3);
    expect(temps.got).toEqual(['21.5']);
    expect(mine.got).toEqual(['hello again']);
    // 0 before the restart, 0 re-observed on the new node, 1 when pub subscribed.
    expect(counts.got).toEqual([0, 0, 1]);
  });

  it('with reconnect off, stays down after its node restarts (negative control)', async () => {
    const first = track(await startNode());
    const port = first.port;
    const sub = await connected(urlFor(port, t), { reconnect: false });
    const closes = inbox<CloseInfo>();
    sub.onclose = (_r, _re, info) => closes.push(info);
    await first.close();
    await waitFor(() => closes.got.length === 1);
    expect(closes.got[0]).toMatchObject({ cause: 'lost', reconnecting: false });
    const second = track(await startNode({}, { port }));
    const probe = await connected(urlFor(second.port, t));
    expect(probe.connected).toBe(true);
    expect(sub.connected).toBe(false);
    expect(second.node.sessions()).toHaveLength(1);
  });

  it('queues publishes made while disconnected and sends them in order after reconnecting', async () => {
    const first = track(await startNode());
    const port = first.port;
    const pubUid = 'queued-publisher';
    const pub = await connected(urlFor(port, t), { uid: pubUid });
    const down = inbox<boolean>();
    pub.onclose = (_r, reconnecting) => down.push(reconnecting);
    await first.close();
    await waitFor(() => down.got.length === 1);
    for (let i = 0; i < 5; i++) pub.publish(`m${i}`, '/queued');
    // The new node holds the publisher's Connect until the subscriber is in place.
    let open!: (ok: boolean) => void;
    const gate = new Promise<boolean>((resolve) => (open = resolve));
    const authenticate = (req: { uid: Buffer }) => (req.uid.toString() === pubUid ? gate : true);
    const second = track(await startNode({ hooks: { authenticate } }, { port }));
    const sub = await connected(urlFor(second.port, t));
    const got = inbox<string>();
    await sub.subscribe('/queued', { datatype: 'text', onmsg: got.push });
    expect(pub.connected).toBe(false);
    open(true);
    pub.publish('last', '/queued');
    await waitFor(() => got.got.includes('last'), { timeout: 10_000 });
    expect(got.got).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'last']);
    expect(pub.stats.droppedPublishes).toBe(0);
  });
});

describe('a list of node URLs', () => {
  it('spreads clients over the nodes at random and skips a dead URL', async () => {
    const a = track(await startNode());
    const b = track(await startNode());
    const gone = await startNode();
    const dead = gone.port;
    await gone.close();
    const urls = [urlFor(dead, 'ws'), urlFor(a.port, 'ws'), urlFor(b.port, 'raw')];
    const failed: string[] = [];
    const clients = Array.from({ length: 16 }, () => {
      const c = client(urls);
      c.onconnecterror = (url) => failed.push(url);
      return c;
    });
    await waitFor(() => clients.every((c) => c.connected), { what: 'all connected' });
    expect(a.node.sessions().length + b.node.sessions().length).toBe(16);
    // Both live nodes got some (all on one: p = 2^-15), and some attempts hit the dead URL.
    expect(a.node.sessions().length).toBeGreaterThan(0);
    expect(b.node.sessions().length).toBeGreaterThan(0);
    expect(failed.length).toBeGreaterThan(0);
    expect(new Set(failed)).toEqual(new Set([urls[0]]));
  });

  it('keeps retrying with backoff while every URL is dead, and never reports a connection (negative control)', async () => {
    const gone = await startNode();
    await gone.close();
    const c = client([urlFor(gone.port, 'ws'), urlFor(gone.port, 'raw')]);
    const failed = inbox<[string, boolean]>();
    let connects = 0;
    c.onconnect = () => connects++;
    c.onconnecterror = (url, _reason, retrying) => failed.push([url, retrying]);
    await waitFor(() => failed.got.length >= 4, { what: 'four failed attempts' });
    expect(failed.got.every(([, retrying]) => retrying)).toBe(true);
    // Each round tries both URLs once.
    expect(new Set(failed.got.slice(0, 2).map(([u]) => u)).size).toBe(2);
    expect(connects).toBe(0);
  });
});
