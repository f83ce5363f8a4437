import { describe, expect, it } from 'vitest';
import type { NodeView } from '../../../contract/hostContract.js';
import { hostAddresses } from '../../../electron/host/control/hostAddresses.js';
import { useControlHost } from '../helpers/controlHost.js';
import { waitFor } from '../../helpers/waitFor.js';

/*
 * The host's simulated fleets follow the cluster's node list while they run: a node bound to a
 * LAN address is where its devices (and the others', after a drain) reconnect, not its old
 * loopback URL. And each new cluster numbers its fleets and devices from the start.
 */

const h = useControlHost('smq-cc-fleet-nodes-');

const node = (id: string): NodeView | undefined => h.latest?.nodes.find((n) => n.id === id);

async function drain(id: string): Promise<void> {
  await h.host.call('drainNode', { nodeId: id });
  await waitFor(() => node(id)?.state === 'stopped', { timeout: 40_000, what: `${id} drained and stopped` });
}

describe('running fleets and the node list', () => {
  const lan = hostAddresses().find((a) => !a.internal && a.family === 'IPv4')?.address;

  it('reconnect to a node bound to a LAN address: drain the others and every device is on it', async (ctx) => {
    if (!lan) {
      console.log('skipped: this machine has no non-loopback IPv4 address (ip addr shows only lo)');
      ctx.skip();
      return;
    }
    await h.host.call('createCluster', { nodes: 3 });
    await h.host.call('startFleet', { count: 6, namePrefix: 'LED', spread: { kind: 'random' } });
    await waitFor(() => h.latest?.devices.length === 6 && h.latest.devices.every((d) => d.connected), {
      timeout: 30_000,
      what: '6 devices connected',
    });
    await h.host.call('bindNode', { nodeId: 'n1', host: lan });
    await waitFor(() => node('n1')?.host === lan && node('n1')?.state === 'up', {
      timeout: 20_000,
      what: `n1 up on ${lan}`,
    });
    await drain('n2');
    await drain('n3');
    const devices = await waitFor(
      () => h.latest?.devices.every((d) => d.connected && d.nodeId === 'n1') && h.latest.devices,
      { timeout: 60_000, what: 'every device connected on n1' },
    );
    expect(devices.map((d) => d.name).sort()).toEqual(['LED-1', 'LED-2', 'LED-3', 'LED-4', 'LED-5', 'LED-6']);
  }, 180_000);
});

describe('fleet and device numbering', () => {
  it('starts over in a new cluster: f1 and LED-1 again, not where the destroyed cluster left off', async () => {
    await h.host.call('createCluster', { nodes: 1 });
    await h.host.call('startFleet', { count: 2, namePrefix: 'LED', spread: { kind: 'random' } });
    const second = await h.host.call('startFleet', {
      count: 1,
      namePrefix: 'LED',
      spread: { kind: 'random' },
    });
    expect(second.fleetId).toBe('f2');
    await h.host.call('destroyCluster', {});
    await h.host.call('createCluster', { nodes: 1 });
    const { fleetId } = await h.host.call('startFleet', {
      count: 2,
      namePrefix: 'LED',
      spread: { kind: 'random' },
    });
    expect(fleetId).toBe('f1');
    const snap = await h.host.call('snapshot', {});
    expect(snap.devices.map((d) => d.name).sort()).toEqual(['LED-1', 'LED-2']);
  }, 60_000);
});
