/**
 * A nats-server for the cluster rows over NATS (W5 via NATS, the scale run): on loopback, on the
 * broker CPU like the brokers, in its own process group (killed with the cluster, and at exit).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { delay, keepTail, killGroup, spawnGroup } from './proc.js';
import { BROKER_CPU } from './targets.js';

export const NATS_SERVER = '/usr/sbin/nats-server';

export const natsServerInstalled = (): boolean => existsSync(NATS_SERVER);

export interface RunningNatsServer {
  readonly pid: number;
  /** nats://127.0.0.1:PORT for the nodes. */
  readonly url: string;
  /** http://127.0.0.1:PORT of its monitoring endpoint (/varz, /connz). */
  readonly monitorUrl: string;
  alive(): boolean;
  tail(): string;
  stop(): Promise<void>;
}

interface PortsFile {
  nats?: string[];
  monitoring?: string[];
}

/**
 * `nats-server -p -1 -m -1 --ports_file_dir DIR`: the server picks both ports and writes them to
 * DIR, which is read until it shows up (the file is named after the server's pid, which is not
 * ours when nice or taskset start it, so any `.ports` file in the fresh directory is taken).
 */
export async function startNatsServer(limitMs = 10_000): Promise<RunningNatsServer> {
  if (!natsServerInstalled()) throw new Error('not installed');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smq-bench-nats-'));
  const args = ['-a', '127.0.0.1', '-p', '-1', '-m', '-1', '--ports_file_dir', dir];
  const g = spawnGroup(NATS_SERVER, args, { cpu: BROKER_CPU });
  const tail = keepTail(g);
  let exited = false;
  void g.exited.then(() => (exited = true));
  const stop = async (): Promise<void> => {
    await killGroup(g);
    rmSync(dir, { recursive: true, force: true });
  };
  const until = Date.now() + limitMs;
  for (;;) {
    const ports = readPorts(dir);
    if (ports?.nats?.[0] && ports.monitoring?.[0])
      return {
        pid: g.pid,
        url: ports.nats[0],
        monitorUrl: ports.monitoring[0],
        alive: () => !exited,
        tail,
        stop,
      };
    if (exited || Date.now() > until) {
      await stop();
      throw new Error(`nats-server did not start: ${tail().trim().split('\n').slice(-2).join(' | ')}`);
    }
    await delay(20);
  }
}

function readPorts(dir: string): PortsFile | undefined {
  const file = readdirSync(dir).find((f) => f.endsWith('.ports'));
  if (!file) return undefined;
  try {
    return JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as PortsFile;
  } catch {
    return undefined; // written but not complete yet
  }
}
