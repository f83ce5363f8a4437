import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { meshFixture, natsFixture, startFixtureCluster } from '../../helpers/clusterFixture.js';
import { waitFor } from '../../helpers/waitFor.js';
import { display, ledDevice, ledsOn, manualClock, names, rawUrl, wsUrl } from './fixtures.js';

describe.each([meshFixture(), natsFixture()])(
  'a device on node A, displays on A and B over $transport',
  (f) => {
    beforeAll(() => f.setUp());
    afterAll(() => f.tearDown());
    afterEach(() => f.closeAll());

    it.each([true, false])(
      'hello → devinfo, an LED set on B reaches the device and every display, stop and kill remove it (linked: %s)',
      async (linked) => {
        const [a, b] = await startFixtureCluster(f, 2, linked);
        const clock = manualClock();
        // random 0.9: every drift step is up a tenth
        const dev = ledDevice({ urls: rawUrl(a!), name: 'LED-A', temp: 215, clock, random: () => 0.9 });
        await waitFor(() => dev.state.connected, { what: 'device connected' });
        // Displays start after the device: they learn it from its answer to their Hello.
        const onA = display(wsUrl(a!));
        const onB = display(wsUrl(b!));
        const etid = dev.state.etid!;
        await waitFor(() => names(onA).length === 1, { what: 'display A learns the device' });
        expect(onA.getSnapshot()).toMatchObject({ connection: 'connected', hellos: 1, rejected: 0 });
        expect(onA.getSnapshot().devices[0]).toEqual({
          etid,
          ipaddr: '127.0.0.1',
          devname: 'LED-A',
          leds: [
            { id: 1, name: 'LED 1', color: 'red', on: false },
            { id: 2, name: 'LED 2', color: 'yellow', on: false },
            { id: 3, name: 'LED 3', color: 'green', on: false },
            { id: 4, name: 'LED 4', color: 'blue', on: false },
          ],
          temp: 215,
        });
        await waitFor(() => onB.getSnapshot().hellos === 1, { what: 'display B said Hello' });

        if (!linked) {
          // Negative control: without links nothing of A's device reaches B, and B cannot command it.
          expect(onA.setLed(etid, 1, true)).toBe(true);
          await waitFor(() => ledsOn(onA, etid)?.[0] === true, { what: 'LED 1 on at A' });
          expect(names(onB)).toEqual([]);
          expect(onB.setLed(etid, 3, true)).toBe(false);
          expect(onB.getSnapshot().devicesOnline).toBe(0);
          expect(dev.state.displays).toBe(1);
          return;
        }

        await waitFor(() => names(onB).length === 1, { what: 'display B learns the device across the link' });
        await waitFor(() => dev.state.displays === 2, { what: 'the device counts both displays' });
        expect(onB.getSnapshot().devices[0]).toEqual(onA.getSnapshot().devices[0]);
        expect(onB.getSnapshot().devicesOnline).toBe(1);

        // A command from B: the device applies it, broadcasts `led`, both displays show it.
        expect(onB.setLed(etid, 3, true)).toBe(true);
        await waitFor(() => dev.state.leds[2]!.on, { what: 'the device turned LED 3 on' });
        for (const d of [onA, onB]) {
          await waitFor(() => ledsOn(d, etid)?.join() === 'false,false,true,false', { what: 'LED 3 on' });
        }
        clock.tick(); // drift one tenth: a /m2m/temp message reaches both displays
        const temp = dev.state.temp;
        expect(temp).toBe(216);
        for (const d of [onA, onB]) {
          await waitFor(() => d.getSnapshot().devices[0]?.temp === temp, { what: 'the new temperature' });
        }

        // A clean stop: both displays get Change(etid, 0) and remove it.
        dev.stop();
        for (const d of [onA, onB]) await waitFor(() => names(d).length === 0, { what: 'device removed' });

        // A crash (socket closed without Disconnect) of a second device: removed as well.
        const dev2 = ledDevice({ urls: wsUrl(a!), name: 'LED-A2' });
        for (const d of [onA, onB])
          await waitFor(() => names(d).join() === 'LED-A2', { what: 'LED-A2 shown' });
        dev2.kill();
        for (const d of [onA, onB]) await waitFor(() => names(d).length === 0, { what: 'LED-A2 removed' });
        expect(onA.getSnapshot().rejected + onB.getSnapshot().rejected).toBe(0);
      },
    );

    it('re-learns a device whose connection the node dropped: the old ETID goes, the new one comes', async () => {
      const [a, b] = await startFixtureCluster(f, 2);
      const dev = ledDevice({ urls: rawUrl(a!), name: 'LED-drop' });
      await waitFor(() => dev.state.connected, { what: 'device connected' });
      const onB = display(wsUrl(b!));
      await waitFor(() => names(onB).length === 1, { what: 'B shows the device' });
      const first = dev.state.etid!;
      a!.node.sessionByEtid(first)!.transport.close(false);
      await waitFor(() => dev.state.connects === 2, { what: 'the device reconnected' });
      await waitFor(
        () =>
          onB
            .getSnapshot()
            .devices.map((d) => d.etid)
            .join() === String(dev.state.etid),
        { what: 'B shows only the new ETID' },
      );
      expect(dev.state.etid).not.toBe(first);
    });
  },
);
