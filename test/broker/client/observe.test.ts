import { describe, expect, it } from 'vitest';
import { startNode } from '../../helpers/startNode.js';
import { waitFor } from '../../helpers/waitFor.js';
import { CLIENT_PAIRS, connected, inbox, track, urlFor } from './clients.js';

describe.each(CLIENT_PAIRS)('observer on %s, observed clients on %s', (obsT, otherT) => {
  it("reports a topic's subscriber count at once, then after every subscribe, unsubscribe and disconnect", async () => {
    const n = track(await startNode());
    const observer = await connected(urlFor(n.port, obsT));
    const a = await connected(urlFor(n.port, otherT));
    const b = await connected(urlFor(n.port, otherT));
    const changes = inbox<[number, string | number]>();
    observer.observe('/m2m/led/device', (count, topic) => changes.push([count, topic]));
    await waitFor(() => changes.got.length === 1, { what: 'the count at once' });
    await a.subscribe('/m2m/led/device', { onmsg: () => {} });
    await waitFor(() => changes.got.length === 2);
    await b.subscribe('/m2m/led/device', { onmsg: () => {} });
    await waitFor(() => changes.got.length === 3);
    a.unsubscribe('/m2m/led/device');
    await waitFor(() => changes.got.length === 4);
    b.disconnect();
    await waitFor(() => changes.got.length === 5);
    const t = '/m2m/led/device';
    expect(changes.got).toEqual([
      [0, t],
      [1, t],
      [2, t],
      [1, t],
      [0, t],
    ]);
  });

  it('reports an observed ETID gone with count 0 when that client disconnects, and nothing before', async () => {
    const n = track(await startNode());
    const observer = await connected(urlFor(n.port, obsT));
    const device = await connected(urlFor(n.port, otherT));
    const etid = device.gettid();
    const changes = inbox<[number, string | number]>();
    observer.observe(etid, (count, id) => changes.push([count, id]));
    // Negative control: a round trip after the Observe, and still nothing for a live ETID.
    await observer.create('/barrier');
    expect(changes.got).toEqual([]);
    device.disconnect();
    await waitFor(() => changes.got.length === 1, { what: 'Change(etid, 0)' });
    expect(changes.got).toEqual([[0, etid]]);
  });

  it('observes an ETID afresh after it went: the broker answers the new Observe', async () => {
    const n = track(await startNode());
    const observer = await connected(urlFor(n.port, obsT));
    const device = await connected(urlFor(n.port, otherT));
    const etid = device.gettid();
    const changes = inbox<string>();
    observer.observe(etid, (count) => changes.push(`first ${count}`));
    device.disconnect();
    await waitFor(() => changes.got.length === 1);
    observer.observe(etid, (count) => changes.push(`second ${count}`));
    await waitFor(() => changes.got.length === 2, { what: 'Change for the second Observe' });
    expect(changes.got).toEqual(['first 0', 'second 0']);
  });

  it('reports an ETID that is not connected as gone at once', async () => {
    const n = track(await startNode());
    const observer = await connected(urlFor(n.port, obsT));
    const changes = inbox<[number, string | number]>();
    observer.observe(0x7777, (count, id) => changes.push([count, id]));
    await waitFor(() => changes.got.length === 1);
    expect(changes.got).toEqual([[0, 0x7777]]);
  });
});
