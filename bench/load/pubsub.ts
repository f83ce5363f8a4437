import { performance } from 'node:perf_hooks';
import { delay, rssBytes } from '../lib/proc.js';
import { Histogram } from '../lib/stats.js';
import type { Job, JobResult } from '../lib/types.js';
import { connectClient, type ClientSpec } from './clients.js';
import type { Conn } from './conn.js';
import { connectAll } from './connectAll.js';
import { cpuWindow } from './cpu.js';

interface TopicPlan {
  name: string;
  publishers: number;
  subscribers: number;
}

interface Publisher {
  conn: Conn;
  idx: number;
  subs: Subscriber[];
  sent: number;
  /** Messages given up on after a stall (never delivered), so the window does not stay shut. */
  writtenOff: number;
}

interface Subscriber {
  conn: Conn;
  /** Messages received, per publisher index. */
  counts: Uint32Array;
}

/** Topics for each pub/sub workload; W4 (hold) has none. */
function topicsFor(job: Job): TopicPlan[] {
  switch (job.workload) {
    case 'w1-1to100':
    case 'w1-paced':
      return [{ name: '/bench/fanout', publishers: 1, subscribers: 100 }];
    case 'w1-1to1':
      return [{ name: '/bench/one', publishers: 1, subscribers: 1 }];
    case 'w1-100to1':
      return [{ name: '/bench/many', publishers: 100, subscribers: 1 }];
    case 'w2-pairs':
      return Array.from({ length: 100 }, (_, i) => ({
        name: `/bench/pair/${i}`,
        publishers: 1,
        subscribers: 1,
      }));
    case 'w3-fleet':
      return [{ name: '/m2m/led/device', publishers: job.devices, subscribers: job.displays }];
    case 'w5-same':
    case 'w5-cross':
    case 'w5-same-nats':
    case 'w5-cross-nats':
      return [{ name: '/bench/hop', publishers: 1, subscribers: 1 }];
    case 'w4-hold':
    case 'w6-failover':
    case 'scale':
      return [];
  }
}

/**
 * W5 cross-node: the subscriber's node tells node A of its interest over the link (or NATS), asynchronously.
 * Publishing starts once A's /health shows a peer with interest, so no message is dropped for
 * want of it (which would count as drops).
 */
async function waitForRemoteInterest(port: number, limitMs = 5000): Promise<void> {
  const until = performance.now() + limitMs;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      const h = (await res.json()) as { cluster?: { peers?: { topicsOfInterest?: number }[] } };
      if ((h.cluster?.peers ?? []).some((p) => (p.topicsOfInterest ?? 0) > 0)) return;
    } catch {
      // not answering yet
    }
    if (performance.now() > until) throw new Error(`node A (port ${port}) never saw the remote interest`);
    await delay(20);
  }
}

/** W1, W2, W3 and W5: publishers and subscribers per topic, at max rate or paced. */
export async function runPubSub(job: Job, opened: Conn[]): Promise<JobResult> {
  const topics = topicsFor(job);
  const nPubs = topics.reduce((n, t) => n + t.publishers, 0);
  const fleet = job.workload === 'w3-fleet';
  const rssIdle = fleet ? rssBytes(job.brokerPid) : undefined;
  const hist = new Histogram();
  let recording = false;
  let delivered = 0;
  let lastProgress = performance.now();
  let pumpScheduled = false;
  let publishing = false;
  const hop = job.workload.startsWith('w5-');
  const paced = job.workload === 'w1-paced' || fleet || hop;

  const subs: Subscriber[] = [];
  const pubs: Publisher[] = [];
  const subSpecs: { topic: number; spec: ClientSpec }[] = [];
  const pubSpecs: { topic: number; spec: ClientSpec }[] = [];
  topics.forEach((t, ti) => {
    for (let i = 0; i < t.subscribers; i++)
      subSpecs.push({ topic: ti, spec: { uid: `${job.runTag}s${subSpecs.length}`, subscribe: t.name } });
    for (let i = 0; i < t.publishers; i++)
      pubSpecs.push({ topic: ti, spec: { uid: `${job.runTag}p${pubSpecs.length}`, publish: t.name } });
  });
  const subsOfTopic: Subscriber[][] = topics.map(() => []);

  const t0 = performance.now();
  const subConns = await connectAll(subSpecs.length, job.connectConcurrency, async (i) => {
    const c = await connectClient(job.proto, job.subPort ?? job.port, subSpecs[i]!.spec);
    opened.push(c);
    return c;
  });
  if (job.workload === 'w5-cross' || job.workload === 'w5-cross-nats') await waitForRemoteInterest(job.port);
  subConns.forEach((conn, i) => {
    const sub: Subscriber = { conn, counts: new Uint32Array(nPubs) };
    conn.onBody = (buf, off, now) => {
      sub.counts[buf.readUInt16LE(off)]!++;
      delivered++;
      if (recording) hist.record(now - buf.readDoubleLE(off + 6));
      if (!pumpScheduled && !paced) {
        pumpScheduled = true;
        setImmediate(pump);
      }
    };
    subs.push(sub);
    subsOfTopic[subSpecs[i]!.topic]!.push(sub);
  });
  const pubConns = await connectAll(pubSpecs.length, job.connectConcurrency, async (i) => {
    const c = await connectClient(job.proto, job.port, pubSpecs[i]!.spec);
    opened.push(c);
    return c;
  });
  pubConns.forEach((conn, idx) => {
    pubs.push({ conn, idx, subs: subsOfTopic[pubSpecs[idx]!.topic]!, sent: 0, writtenOff: 0 });
  });
  const connectPerSec = (opened.length / (performance.now() - t0)) * 1000;

  const send = (p: Publisher, n: number, now: number): void => {
    const t = p.conn.template;
    const size = t.length;
    const buf = Buffer.allocUnsafe(n * size);
    for (let i = 0, o = 0; i < n; i++, o += size) {
      t.copy(buf, o);
      const b = o + p.conn.bodyOffset;
      buf.writeUInt16LE(p.idx, b);
      buf.writeUInt32LE(p.sent++ >>> 0, b + 2);
      buf.writeDoubleLE(now, b + 6);
    }
    p.conn.send(buf);
  };

  // Max rate: each publisher keeps at most `window` messages not yet seen by all its receivers.
  const refill = Math.max(1, Math.floor(job.window / 4));
  const minSeen = (p: Publisher): number => {
    let min = Infinity;
    for (const s of p.subs) min = Math.min(min, s.counts[p.idx]!);
    return min;
  };
  function pump(): void {
    pumpScheduled = false;
    if (!publishing) return;
    const now = performance.now();
    lastProgress = now;
    for (const p of pubs) {
      const room = job.window - (p.sent - p.writtenOff - minSeen(p));
      if (room >= refill) send(p, room, now);
    }
  }
  const stallCheck = (): void => {
    if (!publishing || performance.now() - lastProgress < 1000) return;
    for (const p of pubs) p.writtenOff = p.sent - minSeen(p);
    pump();
  };

  // Paced: `rate` messages/s over all publishers, round robin (W3: each device once a second).
  const rate = fleet ? job.devices : job.rate;
  let pacedSent = 0;
  let rr = 0;
  let paceStart = 0;
  const pace = (): void => {
    if (!publishing) return;
    const now = performance.now();
    const due = Math.floor(((now - paceStart) * rate) / 1000) - pacedSent;
    for (let k = 0; k < due; k++) {
      send(pubs[rr]!, 1, now);
      rr = (rr + 1) % pubs.length;
      pacedSent++;
    }
  };

  publishing = true;
  paceStart = performance.now();
  const timer = paced ? setInterval(pace, 1) : setInterval(stallCheck, 100);
  if (!paced) pump();
  await delay(job.warmupMs);

  const sentBefore = pubs.reduce((n, p) => n + p.sent, 0);
  const deliveredBefore = delivered;
  hist.reset();
  recording = true;
  const c = job.cluster;
  // Over NATS the nats-server carries the hop: its CPU counts with the brokers'.
  const cpu = cpuWindow(c ? [...c.pids, ...(c.nats ? [c.nats.pid] : [])] : job.brokerPid);
  await delay(job.measureMs);
  const w = cpu.stop();
  recording = false;
  const sentInWindow = pubs.reduce((n, p) => n + p.sent, 0) - sentBefore;
  const deliveredInWindow = delivered - deliveredBefore;
  const rssLoaded = fleet ? rssBytes(job.brokerPid) : undefined;
  publishing = false;
  clearInterval(timer);

  const expected = (): number => pubs.reduce((n, p) => n + p.sent * p.subs.length, 0);
  const drainUntil = performance.now() + 3000;
  while (delivered < expected() && performance.now() < drainUntil) await delay(20);
  const notes: string[] = [];
  const closed = opened.filter((c) => c.closed).length;
  if (closed > 0) notes.push(`${closed} connections closed by the broker`);
  const result: JobResult = {
    workload: job.workload,
    connections: opened.length,
    measuredMs: w.ms,
    publishedPerSec: (sentInWindow / w.ms) * 1000,
    deliveredPerSec: (deliveredInWindow / w.ms) * 1000,
    expected: expected(),
    delivered,
    drops: expected() - delivered,
    latency: hist.summary(),
    brokerCpu: w.brokerCpu,
    loadCpu: w.loadCpu,
    otherCpu: w.otherCpu,
    notes,
  };
  if (fleet && rssIdle !== undefined && rssLoaded !== undefined) {
    Object.assign(result, {
      rssIdle,
      rssLoaded,
      mbPer1000: (((rssLoaded - rssIdle) / opened.length) * 1000) / 1e6,
      connectPerSec,
    });
  }
  return result;
}
