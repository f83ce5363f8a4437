import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { nodeFlagsOf } from '@smq-cc/broker';
import { joinedPeers, readHealth, type ClusterTransport } from './clusterHealth.js';
import { startNatsServer, type RunningNatsServer } from './natsServer.js';
import { keepTail, killGroup, spawnGroup, waitForOutput, type Group } from './proc.js';
import type { Proto, TargetId } from './types.js';

export interface TargetDef {
  id: TargetId;
  label: string;
  proto: Proto;
}

export const TARGETS: readonly TargetDef[] = [
  { id: 'relay', label: '(a) ws relay', proto: 'relay' },
  { id: 'base-ws', label: "(d') baseline ws", proto: 'smq-ws' },
  { id: 'ours-ws', label: '(d) ours ws', proto: 'smq-ws' },
  { id: 'base-raw', label: "(e') baseline raw", proto: 'smq-raw' },
  { id: 'ours-raw', label: '(e) ours raw', proto: 'smq-raw' },
  { id: 'aedes', label: '(b) aedes', proto: 'mqtt' },
  { id: 'mosquitto', label: '(c) mosquitto', proto: 'mqtt' },
];

export const MOSQUITTO = '/usr/sbin/mosquitto';
export const BROKER_CPU = 0;
export const LOAD_CPU = 1;

/** Where the run's copy of our built node lives, relative to the repo. */
export const SNAPSHOT = 'bench/dist/broker-snapshot';
/** The copy of the `--baseline` build (targets base-ws, base-raw). */
export const BASELINE_SNAPSHOT = 'bench/dist/baseline-snapshot';

/** Our node's targets, this build's and the baseline's: W5 and W6 run them as clusters. */
export const OUR_NODE_TARGETS: readonly TargetId[] = ['ours-ws', 'ours-raw', 'base-ws', 'base-raw'];

/**
 * Copies broker/dist, bin and package.json once per run: other users rebuild broker/dist (npm test
 * does) while the bench runs, and every trial must measure the same build. `ws` and `commander`
 * still resolve from the repo's node_modules (the copy lies inside the repo). `from` is another
 * broker package directory: a build of another commit, for `--baseline`.
 */
export function snapshotBroker(repo: string, from = path.join(repo, 'broker'), to = SNAPSHOT): void {
  const dest = path.join(repo, to);
  rmSync(dest, { recursive: true, force: true });
  for (const part of ['dist', 'bin', 'package.json'])
    cpSync(path.join(from, part), path.join(dest, part), { recursive: true });
}

export interface RunningBroker {
  readonly pid: number;
  readonly port: number;
  alive(): boolean;
  /** Last lines the broker printed, for FAILED rows. */
  tail(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  repo: string;
  /** Our node from this snapshot (relative to the repo); SNAPSHOT by default. */
  snapshot?: string;
  /** Our node only: write a V8 CPU profile here (stopped with SIGTERM so it is flushed). */
  cpuProfileDir?: string;
}

export function mosquittoVersion(): string | undefined {
  if (!existsSync(MOSQUITTO)) return undefined;
  const out = spawnSync(MOSQUITTO, ['-h'], { encoding: 'utf8' }).stdout ?? '';
  return out.match(/mosquitto version (\S+)/)?.[1] ?? 'unknown';
}

export function packageVersion(repo: string, name: string): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(repo, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    };
    return pkg.version;
  } catch {
    return 'missing';
  }
}

function running(g: Group, port: number, extraStop?: () => void, graceful = false): RunningBroker {
  let exited = false;
  void g.exited.then(() => (exited = true));
  const tail = keepTail(g);
  return {
    pid: g.pid,
    port,
    alive: () => !exited,
    tail,
    async stop() {
      await killGroup(g, graceful ? 'SIGTERM' : 'SIGKILL', graceful ? 15_000 : 3000);
      extraStop?.();
    },
  };
}

export async function startBroker(id: TargetId, opts: StartOptions): Promise<RunningBroker> {
  const node = process.execPath;
  const dist = path.join(opts.repo, 'bench', 'dist', 'servers');
  switch (id) {
    case 'relay': {
      const g = spawnGroup(node, [path.join(dist, 'relay.js')], { cpu: BROKER_CPU, cwd: opts.repo });
      const m = await waitForOutput(g, /relay listening on (\d+)/, 10_000);
      return running(g, Number(m[1]));
    }
    case 'aedes': {
      const g = spawnGroup(node, [path.join(dist, 'aedes.js')], { cpu: BROKER_CPU, cwd: opts.repo });
      const m = await waitForOutput(g, /aedes listening on (\d+)/, 10_000);
      return running(g, Number(m[1]));
    }
    case 'ours-ws':
    case 'ours-raw':
      return startOurNode(opts, ['--log-level', 'error']);
    case 'base-ws':
    case 'base-raw':
      return startOurNode({ ...opts, snapshot: BASELINE_SNAPSHOT }, ['--log-level', 'error']);
    case 'mosquitto':
      return startMosquitto();
  }
}

/**
 * Node flags for the processes of our node (`--node-flags=`, e.g. `--max-semi-space-size=1`), not
 * the baseline's, after those of the bin's shebang (a later flag wins): one run then compares a V8
 * setting against the same build without it (give `--baseline` the same build). Empty by default;
 * recorded in the JSON settings.
 */
export const OUR_NODE_FLAGS: string[] = [];

/** `bin/smq-node.js --port 0` of the run's snapshot, on the broker CPU, plus `extra` flags. */
async function startOurNode(opts: StartOptions, extra: string[]): Promise<RunningBroker> {
  const prof = opts.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfileDir] : [];
  const bin = path.join(opts.repo, opts.snapshot ?? SNAPSHOT, 'bin/smq-node.js');
  const flags = opts.snapshot === BASELINE_SNAPSHOT ? [] : OUR_NODE_FLAGS;
  const args = [...prof, ...nodeFlagsOf(bin), ...flags, bin, '--port', '0', ...extra];
  const g = spawnGroup(process.execPath, args, { cpu: BROKER_CPU, cwd: opts.repo });
  try {
    const m = await waitForOutput(g, /smq-node listening on http:\/\/[^\s]+:(\d+)/, 10_000);
    return running(g, Number(m[1]), undefined, opts.cpuProfileDir !== undefined);
  } catch (err) {
    await killGroup(g);
    throw err;
  }
}

/** Linked smq-node processes of one W5/W6/scale trial; node A (index 0) is the one the others dial. */
export interface RunningCluster {
  readonly nodes: readonly RunningBroker[];
  /** The cluster's own nats-server (transport 'nats'). */
  readonly natsServer?: RunningNatsServer;
  /** Every node still running (and its nats-server). */
  alive(): boolean;
  /** Last lines of every node, for FAILED rows. */
  tail(): string;
  stop(): Promise<void>;
}

export const CLUSTER_SECRET = 'bench-secret';

export interface ClusterOptions extends StartOptions {
  /** 'mesh' (default): `--secret`, every node after A with `--peer ws://A`; 'nats': a fresh nats-server. */
  transport?: ClusterTransport;
}

/** Node names: bench-a, bench-b, ... (the cpu-profile subfolders are the letters). */
const letter = (i: number): string => String.fromCharCode(97 + i);

/**
 * `size` smq-node processes, all on the broker CPU. Mesh: with `--secret`, every one after A with
 * `--peer ws://A` (gossip links the rest). NATS: all attached to one nats-server of their own with
 * `--nats URL --cluster bench`. Resolves once every node is joined with each of the others (mesh:
 * a link in state 'up'; NATS: presence and snapshot); rejects after `limitMs`, with all stopped.
 */
export async function startCluster(
  opts: ClusterOptions,
  size: number,
  limitMs = 20_000,
): Promise<RunningCluster> {
  const nodes: RunningBroker[] = [];
  let natsServer: RunningNatsServer | undefined;
  const stopAll = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.stop()));
    await natsServer?.stop();
  };
  /** With a profile dir, each node writes its .cpuprofile into a subfolder named after it (a, b, ...). */
  const optsFor = (i: number): StartOptions =>
    opts.cpuProfileDir ? { ...opts, cpuProfileDir: path.join(opts.cpuProfileDir, letter(i)) } : opts;
  const tails = (): string =>
    nodes
      .map(
        (n, i) =>
          `${letter(i)}${n.alive() ? '' : ' (exited)'}: ${n.tail().trim().split('\n').slice(-2).join(' | ')}`,
      )
      .join('; ');
  try {
    let common = ['--secret', CLUSTER_SECRET, '--log-level', 'warn'];
    if (opts.transport === 'nats') {
      natsServer = await startNatsServer();
      common = ['--nats', natsServer.url, '--cluster', 'bench', '--log-level', 'warn'];
    }
    const a = await startOurNode(optsFor(0), [...common, '--name', 'bench-a']);
    nodes.push(a);
    const peer = opts.transport === 'nats' ? [] : ['--peer', `ws://127.0.0.1:${a.port}`];
    const rest = await Promise.allSettled(
      Array.from({ length: size - 1 }, (_, i) =>
        startOurNode(optsFor(i + 1), [...common, '--name', `bench-${letter(i + 1)}`, ...peer]),
      ),
    );
    for (const r of rest) if (r.status === 'fulfilled') nodes.push(r.value);
    const failed = rest.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const until = Date.now() + limitMs;
    for (;;) {
      const joined = (await Promise.all(nodes.map((n) => readHealth(n.port)))).map(joinedPeers);
      if (joined.every((n) => n >= size - 1)) break;
      if (nodes.some((n) => !n.alive())) throw new Error('a cluster node exited while joining');
      if (natsServer && !natsServer.alive()) throw new Error('the nats-server exited');
      if (Date.now() > until)
        throw new Error(`cluster not fully joined after ${limitMs / 1000} s (peers: ${joined.join('/')})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    const t = tails();
    await stopAll();
    throw new Error(`${(err as Error).message}${t ? ` [${t}]` : ''}`, { cause: err });
  }
  return {
    nodes,
    natsServer,
    alive: () => nodes.every((n) => n.alive()) && (natsServer?.alive() ?? true),
    tail: () => `${tails()}${natsServer?.alive() === false ? '; nats-server exited' : ''}`,
    stop: stopAll,
  };
}

/**
 * Mosquitto cannot bind port 0 (`listener 0` means a unix socket), so it gets a random port below
 * the ephemeral range and a new one if that bind fails.
 */
async function startMosquitto(): Promise<RunningBroker> {
  if (!existsSync(MOSQUITTO)) throw new Error('not installed');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smq-bench-mosquitto-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  let lastError: unknown;
  for (let attempt = 0; attempt < 8; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const conf = path.join(dir, 'mosquitto.conf');
    writeFileSync(
      conf,
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous true',
        'persistence false',
        'connection_messages false',
        // Every other target disables Nagle on its sockets (ws and our node do, Aedes via bench/servers).
        'set_tcp_nodelay true',
        'log_dest stderr',
        'log_type error',
        'log_type warning',
        'log_type information',
        '',
      ].join('\n'),
    );
    const g = spawnGroup(MOSQUITTO, ['-c', conf], { cpu: BROKER_CPU });
    try {
      await waitForOutput(g, /mosquitto version \S+ running/, 10_000);
      return running(g, port, cleanup);
    } catch (err) {
      lastError = err;
      await killGroup(g);
    }
  }
  cleanup();
  throw new Error(`mosquitto did not start: ${String(lastError)}`);
}
