import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  ClusterSnapshot,
  HostApi,
  TapBatch,
  TapRow,
  TopicView,
} from '../../../../contract/hostContract.js';
import { ControlHost } from '../../../../electron/host/control/ControlHost.js';
import type { HostConnection } from '../../../../electron/host/control/HostConnection.js';
import { connectClient, type SmqClient } from '../../../../broker/src/index.js';
import { SMQ_NODE_BIN } from '../../../helpers/nodeProcess.js';
import { waitFor } from '../../../helpers/waitFor.js';

/** One connected UI: its tap batches folded into rows, and the topics it was sent. */
function watcher(api: HostApi) {
  const rows: TapRow[] = [];
  const batches: TapBatch[] = [];
  let topics: TopicView[] = [];
  api.subscribe((e) => {
    if (e.stream === 'tap') {
      batches.push(e.batch);
      if (e.batch.reset) rows.length = 0;
      rows.push(...e.batch.rows);
    } else if (e.stream === 'topics') topics = e.topics;
  });
  return { rows, batches, topics: () => topics };
}

let dataDir: string;
let host: ControlHost;
let ui: HostConnection;
let snap: ClusterSnapshot;
const clients: SmqClient[] = [];

const url = (id: string): string => snap.nodes.find((n) => n.id === id)!.wsUrl;
function client(id: string): SmqClient {
  const c = connectClient(url(id));
  clients.push(c);
  return c;
}

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'smq-cc-inspector-'));
  host = new ControlHost({ dataDir, nodeBin: SMQ_NODE_BIN, restore: false, pollMs: 200, log: () => {} });
  ui = host.connect();
  let latest: ClusterSnapshot | undefined;
  ui.subscribe((e) => void (e.stream === 'cluster' && (latest = e.snapshot)));
  snap = await ui.call('createCluster', { nodes: 2 });
  await waitFor(() => latest?.links.some((l) => l.state === 'up'), { timeout: 10_000, what: 'link up' });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  ui.close();
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the inspector through the contract, against a real 2-node cluster', () => {
  it('shows a publish where it was published and where it arrived over the link', async () => {
    const w = watcher(ui);
    await ui.call('watchTap', { filter: {} });
    const sub = client('n2');
    await sub.subscribe('/insp/a', { onmsg: () => undefined });
    const pub = client('n1');
    await pub.create('/insp/a');
    await pub.createsub('temp');
    // Interest crosses the link before the publish does: publish until the subscriber sees one.
    let got = false;
    await sub.subscribe('/insp/a', { onmsg: () => void (got = true) });
    await waitFor(
      () => {
        pub.publish('hello', '/insp/a', 'temp');
        return got;
      },
      { timeout: 10_000, what: 'delivery across the link' },
    );
    const local = await waitFor(() =>
      w.rows.find((r) => r.nodeId === 'n1' && r.topic === '/insp/a' && r.receivers > 0),
    );
    expect(local).toMatchObject({
      kind: 'publish',
      via: null,
      destKind: 'topic',
      subtopic: 'temp',
      etid: pub.gettid(),
      size: 5,
      payload: Buffer.from('hello').toString('base64'),
      truncated: false,
    });
    // Uids in the one form every view shows (the Devices view's): colon hex.
    expect(local.uid).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5,}$/);
    const arrived = await waitFor(() =>
      w.rows.find((r) => r.kind === 'publish' && r.nodeId === 'n2' && r.topic === '/insp/a'),
    );
    expect(arrived).toMatchObject({ via: 'n1', receivers: 1, etid: pub.gettid() });
    // Each row once; within a batch, in time order across nodes.
    expect(new Set(w.rows.map((r) => r.seq)).size).toBe(w.rows.length);
    for (const b of w.batches)
      expect(b.rows.every((r, i) => i === 0 || r.timeMs >= b.rows[i - 1]!.timeMs)).toBe(true);
  });

  it('names one-to-one messages by ETID and uid, and cuts payloads at the capture limit', async () => {
    const w = watcher(ui);
    await ui.call('watchTap', { filter: { nodeIds: ['n1'] } });
    expect((await ui.call('configureTap', { captureBytes: 16 })).captureBytes).toBe(16);
    const a = client('n1');
    const b = client('n1');
    await b.subscribe('self', { onmsg: () => undefined });
    const bEtid = await waitFor(() => b.gettid() || undefined);
    await a.create('/insp/big');
    a.publish('x', bEtid);
    a.publish(Buffer.alloc(100, 0x41), '/insp/big');
    const direct = await waitFor(() => w.rows.find((r) => r.destKind === 'etid'));
    expect(direct).toMatchObject({ dest: bEtid, topic: null, receivers: 1 });
    const listed = await ui.call('listClients', { nodeId: 'n1' });
    expect(direct.destUid).toBe(listed.find((c) => c.etid === bEtid)!.uid);
    const big = await waitFor(() => w.rows.find((r) => r.topic === '/insp/big'));
    expect(big).toMatchObject({ size: 100, truncated: true, captureBytes: 16 });
    expect(Buffer.from(big.payload, 'base64')).toEqual(Buffer.alloc(16, 0x41));
  });

  it('gives each connection its own filter, and resets a connection’s rows on a new one', async () => {
    const other = host.connect();
    try {
      const wa = watcher(ui);
      const wb = watcher(other);
      await ui.call('watchTap', { filter: { topic: '/insp/one' } });
      await other.call('watchTap', { filter: { topic: '/insp/t*' } });
      const pub = client('n1');
      for (const t of ['/insp/one', '/insp/two', '/insp/three']) await pub.create(t);
      for (const t of ['/insp/one', '/insp/two', '/insp/three']) pub.publish('m', t);
      await waitFor(() => wa.rows.length >= 1 && wb.rows.length >= 2);
      await new Promise((r) => setTimeout(r, 300));
      expect(wa.rows.map((r) => r.topic)).toEqual(['/insp/one']);
      expect(wb.rows.map((r) => r.topic).sort()).toEqual(['/insp/three', '/insp/two']);
      await ui.call('watchTap', { filter: { topic: 'three' } });
      await waitFor(() => wa.batches.at(-1)?.reset === true || wa.rows[0]?.topic === '/insp/three');
      await waitFor(() => wa.rows.length === 1 && wa.rows[0]!.topic === '/insp/three', {
        what: 'the backlog for the new filter',
      });
    } finally {
      other.close();
    }
  });

  it('lists topics on every node with msgs/s, subscribers and the last payload', async () => {
    const w = watcher(ui);
    const sub = client('n2');
    await sub.subscribe('/insp/rate', { onmsg: () => undefined });
    const pub = client('n1');
    await pub.create('/insp/rate');
    const timer = setInterval(() => pub.publish('{"t":21.5}', '/insp/rate'), 20);
    try {
      const t = await waitFor(() => w.topics().find((x) => x.name === '/insp/rate' && x.msgsPerSec > 10), {
        timeout: 10_000,
        what: 'a rate for /insp/rate',
      });
      expect(t.nodes.map((n) => n.nodeId)).toEqual(['n1', 'n2']);
      expect(t.nodes.find((n) => n.nodeId === 'n2')!.subscribers).toBe(1);
      expect(t.msgsPerSec).toBeLessThan(80);
      expect(Buffer.from(t.lastPayload!, 'base64').toString()).toBe('{"t":21.5}');
      expect(t.history.length).toBeGreaterThan(0);
    } finally {
      clearInterval(timer);
    }
  });

  it('records the tap to a JSON-lines file', async () => {
    await ui.call('watchTap', { filter: { topic: '/insp/rec' } });
    const started = await ui.call('startRecording', { payload: 'text' });
    expect(started.state).toBe('recording');
    await expect(ui.call('startRecording', { payload: 'text' })).rejects.toMatchObject({
      code: 'AlreadyRecording',
    });
    const pub = client('n1');
    await pub.create('/insp/rec');
    await pub.create('/insp/other');
    for (let i = 0; i < 5; i++) pub.publish(`m${i}`, '/insp/rec');
    pub.publish('no', '/insp/other');
    await new Promise((r) => setTimeout(r, 500));
    const done = await ui.call('stopRecording', {});
    expect(done).toMatchObject({ state: 'done', rows: 5, skipped: 0 });
    const lines = readFileSync(done.file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.payloadText)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    // Ids as the views show them, beside the numbers.
    expect(lines[0].etidHex).toBe(
      `0x${(lines[0].etid as number).toString(16).toUpperCase().padStart(8, '0')}`,
    );
    expect(lines[0].destHex).toMatch(/^0x[0-9A-F]{8}$/);
  });

  it('after a page’s Clear, resends a new filter’s backlog only from the Clear on', async () => {
    const w = watcher(ui);
    await ui.call('watchTap', { filter: {} });
    const pub = client('n1');
    await pub.create('/insp/temp');
    await pub.create('/insp/led');
    for (const m of ['t1', 't2']) pub.publish(m, '/insp/temp');
    pub.publish('l1', '/insp/led');
    const text = (r: TapRow): string => Buffer.from(r.payload, 'base64').toString();
    await waitFor(() => ['t1', 't2', 'l1'].every((m) => w.rows.some((r) => text(r) === m)), {
      what: 'the rows before the Clear',
    });
    // The page clears here: its mark is the newest row seq the last batch covered.
    const mark = w.batches.at(-1)!.throughSeq;
    expect(mark).toBeGreaterThanOrEqual(Math.max(...w.rows.map((r) => r.seq)));
    pub.publish('t3', '/insp/temp');
    await waitFor(() => w.rows.some((r) => text(r) === 't3'), { what: 'the row after the Clear' });
    const before = w.batches.length;
    await ui.call('watchTap', { filter: { topic: 'temp' }, afterSeq: mark });
    await waitFor(() => w.batches.slice(before).some((b) => b.reset), { what: 'the reset batch' });
    expect(w.rows.map(text)).toEqual(['t3']);
    await expect(ui.call('watchTap', { filter: {}, afterSeq: -1 })).rejects.toMatchObject({
      code: 'BadArguments',
    });
  });

  it('refuses a malformed filter with a typed error', async () => {
    await expect(ui.call('watchTap', { filter: { topic: 5 } as never })).rejects.toMatchObject({
      code: 'BadArguments',
    });
    await expect(ui.call('watchTap', { filter: { kinds: ['bogus'] } as never })).rejects.toMatchObject({
      code: 'BadArguments',
    });
  });
});
