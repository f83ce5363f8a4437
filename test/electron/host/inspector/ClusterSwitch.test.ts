import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterSnapshot, HostApi, TapRow, TopicView } from '../../../../contract/hostContract.js';
import { ControlHost } from '../../../../electron/host/control/ControlHost.js';
import type { HostConnection } from '../../../../electron/host/control/HostConnection.js';
import { connectClient, type SmqClient } from '../../../../broker/src/index.js';
import { SMQ_NODE_BIN } from '../../../helpers/nodeProcess.js';
import { waitFor } from '../../../helpers/waitFor.js';

/** One connected UI's rows (a reset batch empties them) and its latest topics. */
function watcher(api: HostApi) {
  const rows: TapRow[] = [];
  let topics: TopicView[] = [];
  api.subscribe((e) => {
    if (e.stream === 'tap') {
      if (e.batch.reset) rows.length = 0;
      rows.push(...e.batch.rows);
    } else if (e.stream === 'topics') topics = e.topics;
  });
  return { rows, topics: () => topics };
}

let dataDir: string;
let host: ControlHost;
let ui: HostConnection;
const clients: SmqClient[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'smq-cc-switch-'));
  host = new ControlHost({ dataDir, nodeBin: SMQ_NODE_BIN, restore: false, pollMs: 200, log: () => {} });
  ui = host.connect();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  ui.close();
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Publishes to `topic` on the cluster's n1 until the watcher lists it. */
async function traffic(snap: ClusterSnapshot, w: ReturnType<typeof watcher>, topic: string): Promise<void> {
  const c = connectClient(snap.nodes[0]!.wsUrl);
  clients.push(c);
  await c.create(topic);
  await waitFor(
    () => {
      c.publish('x', topic);
      return w.rows.some((r) => r.topic === topic) && w.topics().some((t) => t.name === topic);
    },
    { timeout: 15_000, interval: 200, what: `${topic} in the rows and topics` },
  );
}

describe('the inspector across clusters', () => {
  it('forgets a destroyed cluster’s rows and topics, and a new cluster starts with none of them', async () => {
    const w = watcher(ui);
    await ui.call('watchTap', { filter: {} });
    await traffic(await ui.call('createCluster', { nodes: 1 }), w, '/old/topic');

    await ui.call('destroyCluster', {});
    const destroyedAt = Date.now();
    await waitFor(() => w.rows.length === 0 && w.topics().length === 0, {
      timeout: 10_000,
      what: 'the open inspector told to clear',
    });

    await traffic(await ui.call('createCluster', { nodes: 1 }), w, '/new/topic');
    expect(w.rows.filter((r) => r.topic === '/old/topic')).toEqual([]);
    expect(w.rows.filter((r) => r.timeMs < destroyedAt)).toEqual([]);
    expect(w.topics().map((t) => t.name)).not.toContain('/old/topic');
  }, 60_000);
});
