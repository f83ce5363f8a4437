import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  TAP_ROW_KINDS,
  type ClusterSnapshot,
  type HostApi,
  type TapBatch,
} from '../../../../contract/hostContract.js';
import { ControlHost } from '../../../../electron/host/control/ControlHost.js';
import type { HostConnection } from '../../../../electron/host/control/HostConnection.js';
import { SMQ_NODE_BIN } from '../../../helpers/nodeProcess.js';
import { waitFor } from '../../../helpers/waitFor.js';

/*
 * Lifecycle rows are kept while no inspector is open: the nodes run a lifecycle-only tap and the
 * host's ring keeps its rows, so a node killed from the Cluster view shows in an inspector opened
 * afterwards. Against a real 2-node cluster of smq-node processes.
 */

function batchesOf(api: HostApi): TapBatch[] {
  const batches: TapBatch[] = [];
  api.subscribe((e) => void (e.stream === 'tap' && batches.push(e.batch)));
  return batches;
}

/** Kinds a page shows once the user asks for lifecycle events: every kind but publishes. */
const LIFECYCLE = TAP_ROW_KINDS.filter((k) => k !== 'publish');

let dataDir: string;
let host: ControlHost;
let ui: HostConnection;
let latest: ClusterSnapshot | undefined;

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'smq-cc-kept-'));
  host = new ControlHost({ dataDir, nodeBin: SMQ_NODE_BIN, restore: false, pollMs: 200, log: () => {} });
  ui = host.connect();
  ui.subscribe((e) => void (e.stream === 'cluster' && (latest = e.snapshot)));
  await ui.call('createCluster', { nodes: 2 });
  await waitFor(() => latest?.links.some((l) => l.state === 'up'), { timeout: 15_000, what: 'link up' });
});
afterEach(async () => {
  ui.close();
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('lifecycle rows kept while no inspector is open (real 2-node cluster)', () => {
  it('gives an inspector opened after a node was killed its node-stop and link-down rows', async () => {
    // To know when the survivor's row has reached the host without opening a feed (which would turn
    // the taps to full): the ring's row count, as the host's connection reports it.
    expect(ui.tapState().scope).toBe('lifecycle');
    const before = ui.tapState().rows;
    await ui.call('killNode', { nodeId: 'n2' });
    await waitFor(() => latest?.nodes.find((n) => n.id === 'n2')?.state === 'killed', {
      timeout: 10_000,
      what: 'n2 killed',
    });
    // nodeStop from the host, linkDown from n1's lifecycle-only tap.
    await waitFor(() => ui.tapState().rows >= before + 2, { timeout: 10_000, what: 'two rows kept' });
    expect(ui.tapState().scope).toBe('lifecycle');

    const page = host.connect();
    const publishesOnly = host.connect();
    try {
      const batches = batchesOf(page);
      const defaultPage = batchesOf(publishesOnly);
      await page.call('watchTap', { filter: { kinds: LIFECYCLE } });
      await publishesOnly.call('watchTap', { filter: { kinds: ['publish'] } });
      expect(ui.tapState().scope).toBe('all');
      await waitFor(() => batches[0] && defaultPage[0], { timeout: 5000, what: 'the first batches' });

      // The first batch is the ring's backlog: what happened before anyone watched.
      const first = batches[0]!;
      expect(first.reset).toBe(true);
      expect(first.rows.find((r) => r.kind === 'nodeStop')).toMatchObject({
        nodeId: 'n2',
        reason: 'Killed',
        detail: 'SIGKILL from the host',
      });
      expect(first.rows.find((r) => r.kind === 'linkDown')).toMatchObject({
        nodeId: 'n1',
        peer: 'n2',
        reason: 'TransportClosed',
      });
      // The page with the default filter is told how many of those its kinds hide.
      expect(defaultPage[0]).toMatchObject({ rows: [], reset: true, hiddenLifecycle: first.rows.length });
    } finally {
      page.close();
      publishesOnly.close();
    }
    expect(ui.tapState().scope).toBe('lifecycle');
  }, 60_000);
});
