/**
 * The scale run's job (issue #12), in the load generator: devices spread over every node of the
 * cluster, the control traffic and memory of each node at rest, then a paced fan-out from node A to
 * one subscriber per node.
 */
import { performance } from 'node:perf_hooks';
import { joinedPeers, readHealth, type NodeHealth } from '../lib/clusterHealth.js';
import { cpuMs, delay, rssBytes } from '../lib/proc.js';
import type { ScaleNodeResult, ScalePlan, ScaleResult } from '../lib/scaleTypes.js';
import { Histogram } from '../lib/stats.js';
import type { ClusterNodes, Job, JobResult } from '../lib/types.js';
import { connectClient } from './clients.js';
import type { Conn } from './conn.js';
import { cpuWindow } from './cpu.js';
import { connectAll } from './connectAll.js';

const FANOUT_TOPIC = '/bench/scale';

type NatsOfCluster = ClusterNodes['nats'];

interface Traffic {
  msgs: number;
  bytes: number;
}

interface ConnzEntry {
  name?: string;
  in_msgs: number;
  out_msgs: number;
  in_bytes: number;
  out_bytes: number;
}

/** Every node's /health; a node that does not answer fails the job (it died or hangs). */
async function healthOfAll(ports: number[]): Promise<NodeHealth[]> {
  const all = await Promise.all(ports.map((p) => readHealth(p, 5000)));
  const missing = all.findIndex((h) => h === undefined);
  if (missing >= 0) throw new Error(`node ${missing + 1} (port ${ports[missing]}) did not answer /health`);
  return all as NodeHealth[];
}

/** Devices every node knows: its own sessions plus the ETIDs of its peers (their directory). */
const known = (h: NodeHealth): number =>
  h.sessions + (h.cluster?.peers ?? []).reduce((n, p) => n + p.etids, 0);

/** Per node, cluster messages and bytes in + out so far: mesh links from /health, NATS from /connz. */
async function trafficOf(healths: NodeHealth[], nats: NatsOfCluster): Promise<Traffic[]> {
  if (!nats) {
    return healths.map((h) =>
      (h.cluster?.links ?? []).reduce(
        (t, l) => ({ msgs: t.msgs + l.msgsIn + l.msgsOut, bytes: t.bytes + l.bytesIn + l.bytesOut }),
        { msgs: 0, bytes: 0 },
      ),
    );
  }
  const res = await fetch(`${nats.monitorUrl}/connz?limit=1024`, { signal: AbortSignal.timeout(5000) });
  const conns = ((await res.json()) as { connections?: ConnzEntry[] }).connections ?? [];
  return healths.map((_, i) => {
    const c = conns.find((x) => x.name === `smq-node bench-${String.fromCharCode(97 + i)}`);
    if (!c) throw new Error(`node ${i + 1} has no connection in the nats-server's /connz`);
    return { msgs: c.in_msgs + c.out_msgs, bytes: c.in_bytes + c.out_bytes };
  });
}

/** Connects the devices round robin, then waits until every node's directory holds all of them. */
async function connectDevices(job: Job, plan: ScalePlan, ports: number[], opened: Conn[]): Promise<number> {
  const base = (await healthOfAll(ports)).map(known);
  const t0 = performance.now();
  await connectAll(plan.devices, job.connectConcurrency, async (i) => {
    const c = await connectClient('smq-raw', ports[i % ports.length]!, {
      uid: `${job.runTag}d${i}`,
      subscribe: '/m2m/led/display',
      publish: '/m2m/led/device',
    });
    opened.push(c);
    return c;
  });
  for (;;) {
    const healths = await healthOfAll(ports);
    if (healths.every((h, i) => known(h) - base[i]! >= plan.devices)) return performance.now() - t0;
    if (performance.now() - t0 > plan.settleLimitMs) {
      const seen = healths.map((h, i) => known(h) - base[i]!).join('/');
      throw new Error(
        `devices known per node after ${plan.settleLimitMs / 1000} s: ${seen} of ${plan.devices}`,
      );
    }
    await delay(200);
  }
}

/** The at-rest window: per node RSS, links or subscriptions, control messages/s, CPU. */
async function measureRest(
  plan: ScalePlan,
  { ports, pids, nats }: ClusterNodes,
): Promise<{ perNode: ScaleNodeResult[]; natsCpu: number }> {
  const h0 = await healthOfAll(ports);
  const tr0 = await trafficOf(h0, nats);
  const cpu0 = pids.map((p) => cpuMs(p) ?? NaN);
  const nats0 = nats ? (cpuMs(nats.pid) ?? NaN) : NaN;
  const t0 = performance.now();
  await delay(plan.restMs);
  const h1 = await healthOfAll(ports);
  const tr1 = await trafficOf(h1, nats);
  const ms = performance.now() - t0;
  const perSec = (d: number): number => (d / ms) * 1000;
  const perNode = h1.map((h, i): ScaleNodeResult => {
    const node: ScaleNodeResult = {
      name: `bench-${String.fromCharCode(97 + i)}`,
      sessions: h.sessions,
      rssBytes: rssBytes(pids[i]!) ?? NaN,
      links: nats ? 1 : joinedPeers(h),
      controlMsgsPerSec: perSec(tr1[i]!.msgs - tr0[i]!.msgs),
      controlBytesPerSec: perSec(tr1[i]!.bytes - tr0[i]!.bytes),
      restCpu: (((cpuMs(pids[i]!) ?? NaN) - cpu0[i]!) / ms) * 100,
    };
    if (h.cluster?.nats) node.natsSubscriptions = h.cluster.nats.subscriptions;
    return node;
  });
  const natsCpu = nats ? (((cpuMs(nats.pid) ?? NaN) - nats0) / ms) * 100 : NaN;
  return { perNode, natsCpu };
}

/**
 * One publisher on node A, one subscriber per node. Probes go out until every subscriber has seen
 * one (remote interest has reached A over either transport); then `fanoutRate` msgs/s, counted
 * from the first paced message on (by sequence number), over a warm-up and a measured window.
 */
async function fanout(plan: ScalePlan, job: Job, { ports, pids, nats }: ClusterNodes, opened: Conn[]) {
  const subs = await Promise.all(
    ports.map((port, i) =>
      connectClient('smq-raw', port, { uid: `${job.runTag}s${i}`, subscribe: FANOUT_TOPIC }),
    ),
  );
  const pub = await connectClient('smq-raw', ports[0]!, { uid: `${job.runTag}p`, publish: FANOUT_TOPIC });
  opened.push(...subs, pub);
  const hist = new Histogram();
  const seen = new Uint32Array(subs.length);
  let firstCounted = Infinity;
  let delivered = 0;
  let recording = false;
  subs.forEach((s, i) => {
    s.onBody = (buf, off, now) => {
      seen[i]!++;
      if (buf.readUInt32LE(off + 2) < firstCounted) return;
      delivered++;
      if (recording) hist.record(now - buf.readDoubleLE(off + 6));
    };
  });
  let sent = 0;
  const send = (now: number): void => {
    const buf = Buffer.from(pub.template);
    buf.writeUInt16LE(0, pub.bodyOffset);
    buf.writeUInt32LE(sent++, pub.bodyOffset + 2);
    buf.writeDoubleLE(now, pub.bodyOffset + 6);
    pub.send(buf);
  };
  const probeUntil = performance.now() + 10_000;
  while (seen.some((n) => n === 0)) {
    if (performance.now() > probeUntil)
      throw new Error(
        `fan-out subscribers without a probe after 10 s: ${[...seen].filter((n) => n === 0).length}`,
      );
    send(performance.now());
    await delay(20);
  }
  await delay(200);
  firstCounted = sent;
  const paceStart = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const due = firstCounted + Math.floor(((now - paceStart) * plan.fanoutRate) / 1000);
    while (sent < due) send(now);
  }, 1);
  await delay(plan.fanoutWarmupMs);
  const sent0 = sent;
  const delivered0 = delivered;
  const nats0 = nats ? (cpuMs(nats.pid) ?? NaN) : NaN;
  hist.reset();
  recording = true;
  // The nats-server is a broker process too: not "other" CPU.
  const cpu = cpuWindow(nats ? [...pids, nats.pid] : pids);
  await delay(plan.fanoutMeasureMs);
  const w = cpu.stop();
  recording = false;
  const natsCpu = nats ? (((cpuMs(nats.pid) ?? NaN) - nats0) / w.ms) * 100 : NaN;
  const publishedPerSec = ((sent - sent0) / w.ms) * 1000;
  const deliveredPerSec = ((delivered - delivered0) / w.ms) * 1000;
  clearInterval(timer);
  const expected = (sent - firstCounted) * subs.length;
  const drainUntil = performance.now() + 3000;
  while (delivered < expected && performance.now() < drainUntil) await delay(20);
  return {
    window: w,
    natsCpu,
    result: {
      rate: plan.fanoutRate,
      publishedPerSec,
      deliveredPerSec,
      expected,
      delivered,
      drops: expected - delivered,
      latency: hist.summary(),
      nodesCpu: nats ? w.brokerCpu - natsCpu : w.brokerCpu,
    } satisfies ScaleResult['fanout'],
  };
}

export async function runScale(job: Job, opened: Conn[]): Promise<JobResult> {
  const plan = job.scale;
  if (!plan || !job.cluster) throw new Error('a scale job needs a cluster and a plan');
  const { ports, nats } = job.cluster;
  const settleMs = await connectDevices(job, plan, ports, opened);
  const rest = await measureRest(plan, job.cluster);
  const natsRss = nats ? (rssBytes(nats.pid) ?? NaN) : NaN;
  const f = await fanout(plan, job, job.cluster, opened);
  const scale: ScaleResult = {
    transport: plan.transport,
    nodes: ports.length,
    devices: plan.devices,
    settleMs,
    perNode: rest.perNode,
    fanout: f.result,
  };
  if (nats) scale.natsServer = { rssBytes: natsRss, restCpu: rest.natsCpu, fanoutCpu: f.natsCpu };
  const closed = opened.filter((c) => c.closed).length;
  return {
    workload: 'scale',
    connections: opened.length,
    measuredMs: f.window.ms,
    publishedPerSec: f.result.publishedPerSec,
    deliveredPerSec: f.result.deliveredPerSec,
    expected: f.result.expected,
    delivered: f.result.delivered,
    drops: f.result.drops,
    latency: f.result.latency,
    brokerCpu: f.window.brokerCpu,
    loadCpu: f.window.loadCpu,
    otherCpu: f.window.otherCpu,
    scale,
    notes: closed > 0 ? [`${closed} connections closed by the broker`] : [],
  };
}
