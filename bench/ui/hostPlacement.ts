/**
 * Where the app's nodes run (issue #10, item 5): the host process's event-loop delay and CPU while
 * a load runs through one node, with that node in a child process (what the app does) and inside
 * the host process. The "host" here is this process doing what the control-plane host does per
 * node: a /health poll every 500 ms. The load generator is always a separate smq-load process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { NodeServer, nodeFlagsOf, SmqNode } from '@smq-cc/broker';

export interface PlacementRow {
  placement: 'child process' | 'in the host';
  trial: number;
  deliveredPerSec: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  hostCpuPct: number;
}

interface RunningNode {
  port: number;
  stop(): Promise<void>;
}

async function childNode(repo: string): Promise<RunningNode> {
  const bin = path.join(repo, 'broker/bin/smq-node.js');
  const child: ChildProcess = spawn(process.execPath, [...nodeFlagsOf(bin), bin, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', () => reject(new Error('smq-node exited before listening')));
  });
  return {
    port,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function inHostNode(): Promise<RunningNode> {
  const server = new NodeServer(new SmqNode({}), { port: 0 });
  const { port } = await server.listen();
  return { port, stop: () => server.close() };
}

function load(
  repo: string,
  port: number,
  rate: number,
  seconds: number,
): Promise<{ receivedPerSec: number }> {
  return new Promise((resolve, reject) => {
    const args = [path.join(repo, 'broker/bin/smq-load.js'), '--url', `ws://127.0.0.1:${port}/smq.lsp`];
    args.push('-p', '2', '-s', '10', '-r', String(rate / 2), '-d', String(seconds), '--json');
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) => {
      try {
        resolve(JSON.parse(out) as { receivedPerSec: number });
      } catch {
        reject(new Error(`smq-load exited ${code} without a result`));
      }
    });
  });
}

async function trial(
  repo: string,
  placement: PlacementRow['placement'],
  n: number,
  rate: number,
  seconds: number,
): Promise<PlacementRow> {
  const node = placement === 'child process' ? await childNode(repo) : await inHostNode();
  const poll = setInterval(() => {
    fetch(`http://127.0.0.1:${node.port}/health`)
      .then((r) => r.json())
      .catch(() => undefined);
  }, 500);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  try {
    delay.enable();
    const cpu = process.cpuUsage();
    const started = Date.now();
    const result = await load(repo, node.port, rate, seconds);
    const used = process.cpuUsage(cpu);
    const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
    return {
      placement,
      trial: n,
      deliveredPerSec: Math.round(result.receivedPerSec),
      lagP50Ms: ms(delay.percentile(50)),
      lagP99Ms: ms(delay.percentile(99)),
      lagMaxMs: ms(delay.max),
      hostCpuPct: Math.round(((used.user + used.system) / 1000 / (Date.now() - started)) * 1000) / 10,
    };
  } finally {
    delay.disable();
    clearInterval(poll);
    await node.stop();
  }
}

/** Interleaved trials (child, in host, child, in host …) at `rate` msgs/s × 10 subscribers. */
export async function runHostPlacement(o: {
  repo: string;
  rate: number;
  seconds: number;
  trials: number;
  log: (line: string) => void;
}): Promise<PlacementRow[]> {
  const rows: PlacementRow[] = [];
  for (let t = 1; t <= o.trials; t++)
    for (const placement of ['child process', 'in the host'] as const) {
      o.log(`host placement: node ${placement}, trial ${t}`);
      rows.push(await trial(o.repo, placement, t, o.rate, o.seconds));
    }
  return rows;
}

export function hostPlacementTable(rows: PlacementRow[], rate: number): string {
  const head = `Host placement: ${rate} msgs/s × 10 subscribers through one node; the host's own event loop and CPU`;
  const lines = rows.map(
    (r) =>
      `  ${r.placement.padEnd(14)} #${r.trial}  delivered ${String(r.deliveredPerSec).padStart(7)}/s · host event-loop delay p50 ${r.lagP50Ms} ms · p99 ${r.lagP99Ms} ms · max ${r.lagMaxMs} ms · host CPU ${r.hostCpuPct}%`,
  );
  return [head, ...lines].join('\n');
}
