import { performance } from 'node:perf_hooks';
import type { NodeClientOptions, SmqClient } from '@smq-cc/broker';
import { delay } from '../lib/proc.js';
import { Histogram } from '../lib/stats.js';
import type { FailoverResult, Job, JobResult } from '../lib/types.js';
import { cpuWindow } from './cpu.js';

const TOPIC = '/m2m/led/device';

type Connect = (urls: string | readonly string[], options?: NodeClientOptions) => SmqClient;

/**
 * Our TypeScript client (it does the failover: URL rotation and backoff), from the run's snapshot
 * of broker/dist (bench/dist/broker-snapshot), so it is the same build as the nodes under test.
 */
async function loadClient(): Promise<Connect> {
  const url = new URL('../broker-snapshot/dist/index.js', import.meta.url);
  const mod = (await import(url.href)) as { connectClient: Connect };
  return mod.connectClient;
}

/** What a device publishes: a devinfo-like JSON, tagged with its uid and connection number. */
interface DevInfo {
  uid: string;
  /** 1 on the first connection, then +1 per reconnect. */
  gen: number;
  name: string;
  ipaddr: string;
  leds: { id: number; name: string; color: string; on: boolean }[];
}

interface Device {
  uid: string;
  client: SmqClient;
  gen: number;
  /** performance.now() of the last onreconnect. */
  reconnectedAt: number;
  lostAt: number;
  /** Failed attempts (dead URL, refused) since the kill. */
  failedAttempts: number;
}

function until(cond: () => boolean, limitMs: number, what: string): Promise<void> {
  const end = performance.now() + limitMs;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (cond()) resolve();
      else if (performance.now() > end) reject(new Error(`time limit: ${what}`));
      else setTimeout(check, 5);
    };
    check();
  });
}

/** Waits until every other node knows the display node's interest in TOPIC (its /health peers). */
async function waitForInterest(ports: number[], display: number, limitMs: number): Promise<void> {
  const health = async (
    port: number,
  ): Promise<{
    cluster?: { nodeId?: string; peers?: { nodeId: string; topicsOfInterest: number }[] };
  }> => (await fetch(`http://127.0.0.1:${port}/health`)).json() as never;
  const displayId = (await health(ports[display]!)).cluster?.nodeId;
  const end = performance.now() + limitMs;
  for (;;) {
    const views = await Promise.all(
      ports.map(async (port, i) => {
        if (i === display) return true;
        const peers = (await health(port)).cluster?.peers ?? [];
        return peers.some((p) => p.nodeId === displayId && p.topicsOfInterest > 0);
      }),
    );
    if (views.every(Boolean)) return;
    if (performance.now() > end) throw new Error('time limit: display interest never reached every node');
    await delay(20);
  }
}

const q = (sorted: number[], p: number): number =>
  sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;

/**
 * W6: `devices` clients spread over the cluster's nodes at random (the client picks a URL at
 * random, like DNS round robin), each creating TOPIC and publishing its devinfo on every (re)connect;
 * a display on a surviving node tracks them by uid. Then the victim node's process group is
 * SIGKILLed: per device of that node, the time until it is connected to a survivor and until its
 * post-reconnect devinfo has reached the display.
 */
export async function runFailover(job: Job): Promise<JobResult> {
  const plan = job.failover;
  const cluster = job.cluster;
  if (!plan || !cluster) throw new Error('w6-failover needs a cluster and a failover plan');
  const connectClient = await loadClient();
  const scheme = job.proto === 'smq-raw' ? 'http' : 'ws';
  const urls = cluster.ports.map((p) => `${scheme}://127.0.0.1:${p}/smq.lsp`);
  const clients: SmqClient[] = [];
  const notes: string[] = [];
  try {
    // Display: on a node that survives, subscribed before any device connects.
    const seen = new Map<string, { gen: number; at: number }>();
    const display = connectClient(urls[plan.display]!, { uid: `${job.runTag}-display`, reconnect: false });
    clients.push(display);
    let badMessages = 0;
    let received = 0;
    const subscribed = display.subscribe(TOPIC, {
      datatype: 'json',
      onmsg: (data) => {
        received++;
        const d = data as Partial<DevInfo>;
        if (typeof d.uid !== 'string' || typeof d.gen !== 'number') return void badMessages++;
        const prev = seen.get(d.uid);
        if (!prev || d.gen > prev.gen) seen.set(d.uid, { gen: d.gen, at: performance.now() });
      },
    });
    const t0 = performance.now();
    await Promise.race([
      subscribed,
      delay(10_000).then(() => Promise.reject(new Error('time limit: display subscription'))),
    ]);
    await waitForInterest(cluster.ports, plan.display, 10_000);

    // Devices: every one on every node (random pick by the client), devinfo on each connection.
    const devices: Device[] = [];
    for (let i = 0; i < job.devices; i++) {
      const uid = `${job.runTag}-dev${String(i).padStart(3, '0')}`;
      const client = connectClient(urls, {
        uid,
        info: `bench device ${i}`,
        reconnect: { minDelayMs: plan.minDelayMs, maxDelayMs: plan.maxDelayMs },
      });
      const dev: Device = { uid, client, gen: 0, reconnectedAt: NaN, lostAt: NaN, failedAttempts: 0 };
      const announce = (): void => {
        dev.gen++;
        const info: DevInfo = {
          uid,
          gen: dev.gen,
          name: `LED device ${i}`,
          ipaddr: '127.0.0.1',
          leds: [
            { id: 1, name: 'LED 1', color: 'red', on: false },
            { id: 2, name: 'LED 2', color: 'green', on: true },
          ],
        };
        client.pubjson(info, TOPIC);
      };
      client.onconnect = announce;
      client.onreconnect = () => {
        dev.reconnectedAt = performance.now();
        announce();
      };
      client.onclose = () => {
        if (Number.isNaN(dev.lostAt)) dev.lostAt = performance.now();
      };
      client.onconnecterror = () => void dev.failedAttempts++;
      void client.create(TOPIC);
      clients.push(client);
      devices.push(dev);
    }
    await until(
      () => devices.every((d) => (seen.get(d.uid)?.gen ?? 0) >= 1),
      15_000,
      `the display saw ${devices.filter((d) => seen.has(d.uid)).length} of ${devices.length} devices`,
    );
    const allVisibleMs = performance.now() - t0;
    await delay(200); // settle: nothing in flight when the node dies

    const perNode = urls.map((u) => devices.filter((d) => d.client.connected && d.client.url === u).length);
    const victims = devices.filter((d) => d.client.url === urls[plan.victim]);
    const others = devices.filter((d) => d.client.url !== urls[plan.victim]);
    if (victims.length === 0) throw new Error('no device landed on the node to kill');
    const genAtKill = new Map(devices.map((d) => [d.uid, d.gen]));

    const survivors = cluster.pids.filter((_, i) => i !== plan.victim);
    const cpu = cpuWindow(survivors);
    const killedAt = performance.now();
    process.kill(-cluster.pids[plan.victim]!, 'SIGKILL');
    const back = (d: Device): boolean => (seen.get(d.uid)?.gen ?? 0) > genAtKill.get(d.uid)!;
    try {
      await until(() => victims.every(back), plan.limitMs, 'failover');
    } catch {
      // Reported as missing devices below.
    }
    const w = cpu.stop();

    const visibleMs = victims
      .filter(back)
      .map((d) => seen.get(d.uid)!.at - killedAt)
      .sort((a, b) => a - b);
    const reconnectMs = victims
      .filter((d) => Number.isFinite(d.reconnectedAt) && d.client.url !== urls[plan.victim])
      .map((d) => d.reconnectedAt - killedAt)
      .sort((a, b) => a - b);
    const missing = victims.length - visibleMs.length;
    const retried = victims.filter((d) => d.failedAttempts > 0).length;
    const detectMs = victims.map((d) => d.lostAt - killedAt).filter(Number.isFinite);
    const survivorDrops = others.filter((d) => Number.isFinite(d.lostAt)).length;
    if (missing > 0) notes.push(`${missing} of ${victims.length} devices not back within ${plan.limitMs} ms`);
    if (survivorDrops > 0) notes.push(`${survivorDrops} devices of surviving nodes lost their connection`);
    if (badMessages > 0) notes.push(`${badMessages} unreadable devinfo messages`);

    const failover: FailoverResult = {
      devices: devices.length,
      perNode,
      victim: plan.victim,
      display: plan.display,
      victimDevices: victims.length,
      reconnectP50Ms: q(reconnectMs, 0.5),
      reconnectMaxMs: reconnectMs.length === victims.length ? q(reconnectMs, 1) : NaN,
      visibleP50Ms: q(visibleMs, 0.5),
      visibleMaxMs: missing === 0 ? q(visibleMs, 1) : NaN,
      visibleMs,
      missing,
      survivorDrops,
      detectMaxMs: detectMs.length > 0 ? Math.max(...detectMs) : NaN,
      retried,
      allVisibleMs,
    };
    const hist = new Histogram();
    for (const ms of visibleMs) hist.record(ms);
    const announced = devices.reduce((n, d) => n + d.gen, 0);
    return {
      workload: job.workload,
      connections: clients.length,
      measuredMs: w.ms,
      publishedPerSec: 0,
      deliveredPerSec: 0,
      expected: announced,
      delivered: received,
      drops: Math.max(0, announced - received),
      latency: hist.summary(),
      brokerCpu: w.brokerCpu,
      loadCpu: w.loadCpu,
      otherCpu: w.otherCpu,
      failover,
      notes,
    };
  } finally {
    for (const c of clients) c.disconnect();
  }
}
