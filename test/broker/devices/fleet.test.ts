import { describe, expect, it } from 'vitest';
import { startCluster } from '../../helpers/startCluster.js';
import { waitFor } from '../../helpers/waitFor.js';
import { seededRandom } from '../../../broker/src/devices/random.js';
import type { DeviceFleet, FleetEvent } from '../../../broker/src/devices/DeviceFleet.js';
import { display, fleet, names, rawUrl, track, wsUrl } from './fixtures.js';

const allConnected = (f: DeviceFleet): boolean => f.states().every((s) => s.connected);

/** Devices per URL. */
function spread(f: DeviceFleet): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of f.states()) (out[s.url!] ??= []).push(s.name);
  return out;
}

describe('a device fleet', () => {
  it('spreads 12 devices over 3 nodes at random (seeded: the same again), each with its own uid', async () => {
    const nodes = track(...(await startCluster(3)));
    const urls = nodes.map(rawUrl);
    const f = fleet({ urls, random: seededRandom(42) });
    const events: FleetEvent[] = [];
    f.subscribe((e) => events.push(e));
    f.start(12);
    await waitFor(() => allConnected(f), { what: '12 devices connected' });
    const first = spread(f);
    expect(Object.keys(first).sort()).toEqual([...urls].sort());
    for (const [i, n] of nodes.entries()) {
      expect(n.node.sessions().filter((s) => s.state === 'ready').length, `node ${i}`).toBe(
        first[urls[i]!]!.length,
      );
    }
    const uids = f.states().map((s) => s.uid);
    expect(new Set(uids).size).toBe(12);
    for (const uid of uids) expect(uid).toMatch(/^02(:[0-9a-f]{2}){5}$/);
    expect(f.states().map((s) => s.name)).toEqual(Array.from({ length: 12 }, (_, i) => `LED-${i + 1}`));
    expect(events.filter((e) => e.type === 'started')).toHaveLength(12);
    expect(events.filter((e) => e.type === 'connect')).toHaveLength(12);
    // No device pushed another off with "reconnect": uids are unique per device.
    for (const n of nodes) expect(n.node.stats().closes.Replaced).toBe(0);

    f.stop();
    const again = fleet({ urls, random: seededRandom(42) });
    again.start(12);
    await waitFor(() => allConnected(again), { what: 'the same fleet again' });
    expect(spread(again)).toEqual(first);
  });

  it('pins every device to one node, and numbers new devices on', async () => {
    const [a, b] = track(...(await startCluster(2)));
    const f = fleet({ urls: [rawUrl(a!)], pin: wsUrl(b!), random: seededRandom(1) });
    f.start(3, 'PIN');
    f.start(2, 'PIN');
    await waitFor(() => f.devices.length === 5 && allConnected(f), { what: '5 pinned devices' });
    expect(spread(f)).toEqual({ [wsUrl(b!)]: ['PIN-1', 'PIN-2', 'PIN-3', 'PIN-4', 'PIN-5'] });
    expect(a!.node.sessions()).toHaveLength(0);
    expect(() => f.startNamed(['PIN-2'])).toThrow(/already in the fleet/);
    expect(f.stopDevice('PIN-2')).toBe(true);
    expect(f.killDevice('PIN-3')).toBe(true);
    expect(f.stopDevice('PIN-2')).toBe(false);
    await waitFor(() => b!.node.sessions().filter((s) => s.state === 'ready').length === 3, {
      what: '3 devices left on b',
    });
  });

  it('fails over when a node stops: its devices reconnect to the survivors and the display re-learns them', async () => {
    const nodes = track(...(await startCluster(3)));
    const f = fleet({ urls: nodes.map(rawUrl), random: seededRandom(5) });
    f.start(9);
    await waitFor(() => allConnected(f), { what: '9 devices connected' });
    // The victim: the node with the most devices; the display watches from another one.
    const byUrl = spread(f);
    const victim = nodes.reduce((m, n) =>
      (byUrl[rawUrl(n)]?.length ?? 0) > (byUrl[rawUrl(m)]?.length ?? 0) ? n : m,
    );
    const watcher = nodes.find((n) => n !== victim)!;
    const onW = display(wsUrl(watcher));
    await waitFor(() => names(onW).length === 9, { what: 'the display shows 9 devices' });
    const moved = byUrl[rawUrl(victim)]!;
    expect(moved.length).toBeGreaterThan(0);
    const oldEtids = new Map(moved.map((name) => [name, f.device(name)!.state.etid]));

    await victim.close();
    await waitFor(
      () =>
        moved.every(
          (name) => f.device(name)!.state.connected && f.device(name)!.state.url !== rawUrl(victim),
        ),
      { what: `${moved.length} devices on survivors`, timeout: 10_000 },
    );
    for (const name of moved) expect(f.device(name)!.state.etid).not.toBe(oldEtids.get(name));
    // The display shows every device once, under its current ETID: the old ones were removed.
    const current = (): string =>
      f
        .states()
        .map((s) => `${s.name}@${s.etid}`)
        .sort()
        .join();
    await waitFor(
      () =>
        onW
          .getSnapshot()
          .devices.map((d) => `${d.devname}@${d.etid}`)
          .sort()
          .join() === current(),
      { what: 'the display re-learned the moved devices', timeout: 10_000 },
    );
  });
});
