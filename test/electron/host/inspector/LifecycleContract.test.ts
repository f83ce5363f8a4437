import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterSnapshot, HostApi, TapRow, TapRowKind } from '../../../../contract/hostContract.js';
import { ControlHost } from '../../../../electron/host/control/ControlHost.js';
import type { HostConnection } from '../../../../electron/host/control/HostConnection.js';
import { connectClient, type SmqClient } from '../../../../broker/src/index.js';
import { SMQ_NODE_BIN } from '../../../helpers/nodeProcess.js';
import { waitFor } from '../../../helpers/waitFor.js';
import { formatUid } from '../../../../broker/src/devices/uid.js';

/*
 * Issue #11: lifecycle rows reach a UI through the contract, filtered by kind: connect with its
 * info, subscribe, observe and Change from the nodes; nodeStop/nodeStart from the host; link
 * down/up from the survivors. A second UI with the default filter gets publishes only.
 */

function rowsOf(api: HostApi): TapRow[] {
  const rows: TapRow[] = [];
  api.subscribe((e) => {
    if (e.stream !== 'tap') return;
    if (e.batch.reset) rows.length = 0;
    rows.push(...e.batch.rows);
  });
  return rows;
}

let dataDir: string;
let host: ControlHost;
let ui: HostConnection;
let other: HostConnection;
let latest: ClusterSnapshot | undefined;
const clients: SmqClient[] = [];

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'smq-cc-lifecycle-'));
  host = new ControlHost({ dataDir, nodeBin: SMQ_NODE_BIN, restore: false, pollMs: 200, log: () => {} });
  ui = host.connect();
  other = host.connect();
  ui.subscribe((e) => void (e.stream === 'cluster' && (latest = e.snapshot)));
  await ui.call('createCluster', { nodes: 2 });
  await waitFor(() => latest?.links.some((l) => l.state === 'up'), { timeout: 15_000, what: 'link up' });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  ui.close();
  other.close();
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const LIFECYCLE: TapRowKind[] = [
  'open',
  'subscribe',
  'observe',
  'change',
  'linkUp',
  'linkDown',
  'nodeStart',
  'nodeStop',
];

describe('lifecycle rows through the contract, against a real 2-node cluster', () => {
  it('sends connect, subscribe, observe and Change rows, then node stop, link down, node start and link up', async () => {
    const rows = rowsOf(ui);
    const publishesOnly = rowsOf(other);
    await ui.call('watchTap', { filter: { kinds: LIFECYCLE } });
    await other.call('watchTap', { filter: { kinds: ['publish'] } });
    const n2 = latest!.nodes.find((n) => n.id === 'n2')!;
    const device = connectClient(n2.wsUrl, { uid: 'lifecycle-dev1', info: 'LED-kitchen', reconnect: false });
    clients.push(device);
    await device.subscribe('/life/topic', { onmsg: () => undefined });
    const display = connectClient(latest!.nodes.find((n) => n.id === 'n1')!.wsUrl, { reconnect: false });
    clients.push(display);
    const deviceEtid = await new Promise<number>((resolve) => {
      if (device.gettid() !== 0) resolve(device.gettid());
      else device.onconnect = (etid) => resolve(etid);
    });
    await waitFor(
      () => rows.some((r) => r.kind === 'subscribe' && r.nodeId === 'n2' && r.topic === '/life/topic'),
      { timeout: 10_000, what: 'the subscribe row' },
    );
    // Observe the device's ETID from n1 once n1 knows it (the directory crosses the link).
    await waitFor(
      () => {
        display.observe(deviceEtid, () => undefined);
        return rows.some((r) => r.kind === 'observe' && r.nodeId === 'n1' && r.destKind === 'etid');
      },
      { timeout: 10_000, what: 'an observe row of the remote ETID' },
    );

    expect(rows.find((r) => r.kind === 'open' && r.info === 'LED-kitchen')).toMatchObject({
      nodeId: 'n2',
      etid: deviceEtid,
      // Colon hex, the one form every view shows a uid in.
      uid: formatUid(Buffer.from('lifecycle-dev1')),
      detail: 'ws from 127.0.0.1',
    });
    expect(rows.find((r) => r.kind === 'observe' && r.destKind === 'etid')).toMatchObject({
      nodeId: 'n1',
      dest: deviceEtid,
      peer: 'n2',
    });

    await ui.call('killNode', { nodeId: 'n2' });
    await waitFor(() => rows.some((r) => r.kind === 'nodeStop'), {
      timeout: 10_000,
      what: 'the node-stop row',
    });
    await waitFor(() => rows.some((r) => r.kind === 'linkDown'), {
      timeout: 10_000,
      what: 'the link-down row',
    });
    await waitFor(() => rows.some((r) => r.kind === 'change'), { timeout: 10_000, what: 'the Change row' });
    expect(rows.find((r) => r.kind === 'nodeStop')).toMatchObject({
      nodeId: 'n2',
      reason: 'Killed',
      detail: 'SIGKILL from the host',
    });
    expect(rows.find((r) => r.kind === 'linkDown')).toMatchObject({
      nodeId: 'n1',
      peer: 'n2',
      reason: 'TransportClosed',
    });
    expect(rows.find((r) => r.kind === 'change')).toMatchObject({
      nodeId: 'n1',
      destKind: 'etid',
      dest: deviceEtid,
      receivers: 0,
    });

    await ui.call('startNode', { nodeId: 'n2' });
    await waitFor(() => rows.some((r) => r.kind === 'nodeStart' && r.nodeId === 'n2'), {
      timeout: 15_000,
      what: 'the node-start row',
    });
    // The link comes back. Either side's row may come first: the restarted node's own is tapped
    // when the host's admin socket to it is back before its link is up.
    await waitFor(() => rows.some((r) => r.kind === 'linkUp'), { timeout: 15_000, what: 'a link-up row' });
    expect(rows.find((r) => r.kind === 'nodeStart')).toMatchObject({ reason: 'Started', detail: null });
    const up = rows.find((r) => r.kind === 'linkUp');
    expect([up?.nodeId, up?.peer].sort()).toEqual(['n1', 'n2']);
    expect(up).toMatchObject({ reason: null });

    // Only the kinds asked for: no publish, no close (the device's session ended with its node).
    expect(rows.every((r) => LIFECYCLE.includes(r.kind))).toBe(true);
    // The default filter of the page is publishes only: none of this reached the other UI.
    expect(publishesOnly.filter((r) => r.kind !== 'publish')).toEqual([]);
  }, 60_000);
});
