import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { meshFixture, natsFixture, startFixtureCluster } from '../../helpers/clusterFixture.js';
import { waitFor } from '../../helpers/waitFor.js';
import type { SmqNode } from '../../../broker/src/node/SmqNode.js';
import { HelloPolicy, type Timers } from '../../../broker/src/devices/HelloPolicy.js';
import { seededRandom } from '../../../broker/src/devices/random.js';
import { display, fleet, holds, ledDevice, names, rawUrl, wsUrl } from './fixtures.js';

/** Hellos published on this node, counted on the wire by the node's traffic tap. */
function helloCounter(node: SmqNode): () => number {
  let n = 0;
  node.on('tap', (e) => {
    if (e.kind === 'publish' && e.topic === '/m2m/led/display' && e.via === undefined) n++;
  });
  return () => n;
}

describe.each([meshFixture(), natsFixture()])(
  'a display says Hello again only when devices are out of sight (issue #8 point 14) over $transport',
  (f) => {
    beforeAll(() => f.setUp());
    afterAll(() => f.tearDown());
    afterEach(() => f.closeAll());

    it('re-learns the devices behind a link that healed, within 5 s, with one more Hello', async () => {
      const [a, b] = await startFixtureCluster(f, 2);
      const hellos = helloCounter(b!.node);
      const dev = ledDevice({ urls: rawUrl(a!), name: 'LED-far' });
      await waitFor(() => dev.state.connected, { what: 'device connected' });
      const onB = display(wsUrl(b!));
      await waitFor(() => names(onB).length === 1, { what: 'B shows the device' });
      expect(hellos()).toBe(1);

      b!.cluster.cut(a!.node.name);
      await waitFor(() => names(onB).length === 0, { what: 'the cut link takes the device out of sight' });
      expect(onB.getSnapshot().devicesOnline).toBe(0);
      expect(dev.state.connects).toBe(1);

      const healed = Date.now();
      b!.cluster.restore(a!.node.name);
      await waitFor(() => names(onB).length === 1, { what: 'B shows the device again', timeout: 5000 });
      expect(Date.now() - healed).toBeLessThan(5000);
      // The device never reconnected: only the Hello brought it back.
      expect(dev.state.connects).toBe(1);
      expect(hellos()).toBe(2);
      expect(onB.getSnapshot().hellos).toBe(2);
    });

    it('says no Hello when 60 devices start after it, on both nodes: they announce themselves', async () => {
      const [a, b] = await startFixtureCluster(f, 2);
      const hellos = helloCounter(b!.node);
      const onB = display(wsUrl(b!));
      await waitFor(() => onB.getSnapshot().hellos === 1 && hellos() === 1, {
        what: 'the first Hello on the wire',
      });
      // Idle past the debounce (200 ms): no Hello of its own, and the start Hello has settled.
      await holds(() => hellos() === 1, 400, 'one Hello while idle');
      const devices = fleet({ urls: [wsUrl(a!), rawUrl(b!), rawUrl(a!)], random: seededRandom(3) });
      devices.start(60);
      await waitFor(() => names(onB).length === 60, { what: 'all 60 devices shown', timeout: 10_000 });
      await waitFor(() => onB.getSnapshot().devicesOnline === 60, { what: 'count 60' });
      // Well past the debounce (200 ms): still the one Hello of the start, on the wire and in the model.
      await holds(() => hellos() === 1 && onB.getSnapshot().hellos === 1, 800, 'one Hello');
    });
  },
);

/** Timers the test runs by hand: pending callbacks fire on advance(ms). */
function fakeTimers(): Timers & { advance(ms: number): void } {
  let now = 0;
  let next = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  return {
    setTimeout: (fn, ms) => (pending.set(++next, { at: now + ms, fn }), next),
    clearTimeout: (h) => void pending.delete(h as number),
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...pending].filter(([, t]) => t.at <= end).sort((x, y) => x[1].at - y[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
  };
}

describe('HelloPolicy', () => {
  function policy(): {
    p: HelloPolicy;
    t: ReturnType<typeof fakeTimers>;
    said: number[];
    known: { n: number };
  } {
    const t = fakeTimers();
    const said: number[] = [];
    const known = { n: 0 };
    const p: HelloPolicy = new HelloPolicy(
      100,
      () => known.n,
      () => (said.push(known.n), p.said()),
      t,
    );
    p.said(); // the Hello at start
    return { p, t, said, known };
  }

  it('waits for the count to be quiet, then says Hello only if devices are missing', () => {
    const { p, t, said, known } = policy();
    t.advance(100);
    for (let i = 1; i <= 5; i++) {
      p.countChanged(i); // a device subscribes...
      t.advance(50);
      known.n = i; // ...and announces itself before the count is quiet
    }
    t.advance(1000);
    expect(said).toEqual([]);
    p.countChanged(15); // ten devices subscribe at once, and announce themselves slowly
    for (let i = 6; i <= 15; i++) {
      t.advance(80);
      known.n = i;
    }
    t.advance(1000);
    expect(said).toEqual([]);
    known.n = 5;
    p.countChanged(5); // ten devices gone (displays remove them on Change(etid, 0))
    t.advance(1000);
    expect(said).toEqual([]);
    p.countChanged(9); // four devices behind a healed link
    t.advance(99);
    expect(said).toEqual([]);
    t.advance(1);
    expect(said).toEqual([5]);
  });

  it('tolerates subscribers that never answer (no Hello per rise), and still sees a drop-and-rise', () => {
    const { p, t, said, known } = policy();
    p.countChanged(1); // a monitor subscribed to the display topic: never a device
    t.advance(100);
    expect(said).toEqual([]); // judged after the start Hello settled: the monitor is tolerated
    for (let i = 2; i <= 4; i++) {
      p.countChanged(i);
      known.n = i - 1;
      t.advance(200);
    }
    expect(said).toEqual([]);
    p.countChanged(1); // a link cut: three devices gone
    known.n = 0;
    t.advance(200);
    p.countChanged(4); // healed
    t.advance(200);
    expect(said).toEqual([0]);
  });
});
