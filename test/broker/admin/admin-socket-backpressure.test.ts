import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { connect as connectClient, type SmqClient } from '../../../broker/src/client/node.js';
import { Child } from '../../helpers/ChildProcess.js';
import { SMQ_NODE_BIN } from '../../helpers/nodeProcess.js';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { AdminEndpoint } from '../../../broker/src/admin/AdminEndpoint.js';
import { waitFor } from '../../helpers/waitFor.js';
import { AdminWs, TOKEN } from './adminClient.js';

const READY = /smq-node listening on http:\/\/127\.0\.0\.1:(\d+)/;
/** Messages in the flood, on top of a warm-up of WARMUP read by every client. */
const FLOOD = 50_000;
const WARMUP = 5_000;
const PAYLOAD = 2048;
const STEP = 100;
/**
 * The stated bound: the node's RSS grows by less than this while FLOOD messages pass a paused
 * admin socket tapping every one with a 2 KiB head. Unbounded, the tap would hold every event:
 * 50,000 × ~3 KiB of JSON, about 150 MiB. Bounded, one socket holds at most its 1 MiB queue,
 * 1 MiB of unsent frames and one frame in flight (see DEFAULT_TAP_BUDGET).
 */
const RSS_BOUND = 48 * 1024 * 1024;

let clients: SmqClient[] = [];
let admin: AdminWs | undefined;
let n: RunningNode | undefined;
afterEach(async () => {
  admin?.close();
  await n?.close();
  n = undefined;
  for (const c of clients) c.disconnect();
  clients = [];
  await Child.killAll();
});

function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]!;
  return Number(kb) * 1024;
}

describe('a slow admin socket', () => {
  it('never grows the node without bound nor slows its clients: events are skipped and counted', async () => {
    const child = new Child(
      process.execPath,
      [SMQ_NODE_BIN, '--port', '0', '--name', 'flooded', '--log-level', 'warn'],
      { ...process.env, SMQ_ADMIN_TOKEN: TOKEN },
    );
    const port = Number((await child.line(READY))[1]);
    const pid = child.proc.pid!;
    const url = `ws://127.0.0.1:${port}`;
    const sub = connectClient(url, { reconnect: false });
    const pub = connectClient(url, { reconnect: false });
    clients = [sub, pub];
    let received = 0;
    let outOfOrder = 0;
    await sub.subscribe('flood', {
      onmsg: (data) => {
        const seq = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0);
        if (seq !== received) outOfOrder++;
        received++;
      },
    });
    const tid = await pub.create('flood');
    admin = await AdminWs.open(port);
    await admin.tap(true, PAYLOAD);
    const payload = Buffer.alloc(PAYLOAD, 0x5a);
    let sent = 0;
    let maxRss = 0;
    /**
     * Publishes up to `total` in steps of STEP, each once the subscriber has all but the last step:
     * never a slow consumer itself, and a flood that lasts seconds, long enough for a tap without a
     * socket budget to show.
     */
    const flood = async (total: number): Promise<void> => {
      while (sent < total) {
        const upTo = Math.min(total, sent + STEP);
        for (; sent < upTo; sent++) {
          payload.writeUInt32BE(sent, 0);
          pub.publish(payload, tid);
        }
        await waitFor(() => received >= sent - STEP, { timeout: 10_000, what: 'the subscriber to keep up' });
        maxRss = Math.max(maxRss, rssOf(pid));
      }
    };

    const accounted = (): number => admin!.publishes('flood').length + admin!.skipped();
    await flood(WARMUP);
    await waitFor(() => accounted() === WARMUP, { what: 'the warm-up seen (or skipped) by the tap' });
    const seenInWarmup = admin.publishes('flood').length;
    const baseline = rssOf(pid);
    maxRss = 0;
    admin.socket.pause();
    await flood(WARMUP + FLOOD);
    await waitFor(() => received === WARMUP + FLOOD, { what: 'every message at the subscriber' });
    expect(outOfOrder).toBe(0);
    console.log(`node RSS: baseline ${baseline >> 20} MiB, max while paused ${maxRss >> 20} MiB`);
    expect(maxRss - baseline).toBeLessThan(RSS_BOUND);

    admin.socket.resume();
    await waitFor(() => accounted() >= WARMUP + FLOOD, {
      timeout: 10_000,
      what: 'every event seen or skipped',
    });
    expect(accounted()).toBe(WARMUP + FLOOD);
    expect(admin.skipped()).toBeGreaterThan(0);
    expect(admin.publishes('flood').length).toBeGreaterThan(seenInWarmup);
  });
});

describe('an admin client that asks but does not read', () => {
  it('is cut off once its unread replies pass maxBufferedBytes, and its tap is released', async () => {
    n = await startNode({ name: 'asked-too-much' });
    new AdminEndpoint(n.node, n.server, TOKEN, undefined, { socket: { maxBufferedBytes: 256 * 1024 } });
    for (let i = 0; i < 200; i++) n.node.createTopic(`/a/rather/long/topic/name/${'x'.repeat(300)}/${i}`);
    admin = await AdminWs.open(n.port);
    await admin.tap(true);
    expect(n.node.tapping).toBe(true);
    admin.socket.pause();
    // Each reply is about 100 KB; the kernel takes a few MB before the node has to buffer any.
    let asked = 0;
    await waitFor(
      () => {
        if (!n!.node.tapping) return true;
        for (let i = 0; i < 10; i++) admin!.send({ op: 'topics', id: asked++ });
        return false;
      },
      { timeout: 10_000, what: 'the node to cut the admin client off' },
    );
    expect(n.node.listenerCount('tap')).toBe(0);
    expect(asked).toBeLessThan(2000);
  });
});
