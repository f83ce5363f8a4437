import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { accessSync, constants } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HostError, NatsAvailability, NatsServerView } from '../../../contract/hostContract.js';

const EXE = process.platform === 'win32' ? 'nats-server.exe' : 'nats-server';
/** Debian installs it in /usr/sbin, which a user's PATH often lacks. */
const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** The nats-server executable on PATH or in the sbin folders, if any. */
export function findNatsServer(envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of [...envPath.split(path.delimiter).filter((d) => d !== ''), ...SBIN]) {
    const file = path.join(dir, EXE);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here: the next folder
    }
  }
  return undefined;
}

export function natsAvailability(bin: string | undefined): NatsAvailability {
  return bin
    ? { installed: true, path: bin, reason: null }
    : { installed: false, path: null, reason: 'nats-server is not installed' };
}

/**
 * Runs nats-server (argv[1..]) and ties it to the host: when the host goes away, even by a crash,
 * its end of stdin closes and the server is killed. A signal the server died of is raised again,
 * so the host sees how it ended.
 */
const LIFELINE = `
const { spawn } = require('node:child_process');
const [bin, ...args] = process.argv.slice(1);
const server = spawn(bin, args, { stdio: ['ignore', 'inherit', 'inherit'] });
const end = (signal) => () => server.kill(signal);
process.stdin.on('end', end('SIGKILL')).on('error', end('SIGKILL')).resume();
process.on('SIGTERM', end('SIGTERM'));
server.on('error', (e) => { process.stderr.write(e.message + '\\n'); process.exit(127); });
server.on('exit', (code, signal) => (signal ? process.kill(process.pid, signal) : process.exit(code ?? 1)));
`;

/** Spawns `bin` under the lifeline: stdin is the lifeline's, stderr the server's. */
export function spawnWithLifeline(execPath: string, bin: string, args: string[]): ChildProcess {
  return spawn(execPath, ['-e', LIFELINE, bin, ...args], {
    stdio: ['pipe', 'ignore', 'pipe'],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
}

export interface NatsServerOptions {
  /** The nats-server executable. */
  bin: string;
  /** Its own folder: config and token (0600), ports file. */
  dir: string;
  /** Node, or Electron with ELECTRON_RUN_AS_NODE=1: runs the lifeline. */
  execPath: string;
  log(level: 'info' | 'warn', message: string): void;
}

export type ServerState = 'starting' | 'up' | 'stopping' | 'stopped' | 'crashed';

/** How a run of nats-server ended. */
export type ServerExit = NonNullable<NatsServerView['lastExit']>;

interface PortsFile {
  nats?: string[];
}

const READY_TIMEOUT_MS = 15_000;
const PORTS_POLL_MS = 50;
const STOP_GRACE_MS = 3000;

/**
 * A local nats-server for one NATS cluster: loopback only, token auth (the token is generated here
 * and given to nodes as a 0600 file, never on a command line). The first start takes a free port
 * (-p -1, read from its ports file); a later start reuses it, so the nodes' URL stays valid.
 */
export class NatsServerProcess extends EventEmitter<{ state: [] }> {
  state: ServerState = 'stopped';
  port = 0;
  /** nats-server's own pid (from its ports file's name), while it runs. */
  pid: number | null = null;
  lastError: HostError | null = null;
  /** How its last run ended on its own (not stopped by the host). */
  lastExit: ServerExit | null = null;
  private readonly token = randomBytes(24).toString('hex');
  private child: ChildProcess | undefined;
  private intent: 'stop' | undefined;

  constructor(private readonly o: NatsServerOptions) {
    super();
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** The file nodes read the token from (--nats-token-file). */
  get tokenFile(): string {
    return path.join(this.o.dir, 'token');
  }

  private get portsDir(): string {
    return path.join(this.o.dir, 'ports');
  }

  /** Resolves once the server listens (its ports file names the port). */
  async start(): Promise<void> {
    if (this.child) return;
    const conf = path.join(this.o.dir, 'nats-server.conf');
    try {
      await this.writeFiles(conf);
    } catch (err) {
      this.lastError = {
        code: 'NatsUnavailable',
        message: `cannot write its files: ${(err as Error).message}`,
      };
      throw err;
    }
    const child = spawnWithLifeline(this.o.execPath, this.o.bin, [
      ...['-c', conf, '-a', '127.0.0.1', '-p', String(this.port || -1)],
      ...['--ports_file_dir', this.portsDir],
    ]);
    this.child = child;
    this.intent = undefined;
    this.lastError = null;
    this.setState('starting');
    let stderrTail = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-2000);
    });
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) => {
        this.child = undefined;
        this.pid = null;
        if (this.intent === 'stop') this.setState('stopped');
        else {
          this.lastExit = { code, signal };
          this.lastError = exitError(this.port, code, signal, stderrTail);
          this.o.log('warn', `nats-server ${this.lastError.message}`);
          this.setState('crashed');
        }
        reject(Object.assign(new Error(this.lastError?.message ?? 'nats-server stopped'), this.lastError));
      }),
    );
    exited.catch(() => undefined);
    await Promise.race([this.listening(child), exited]);
    this.setState('up');
  }

  /** Its folder with the token and config (0600) and an empty ports folder. */
  private async writeFiles(conf: string): Promise<void> {
    await mkdir(this.o.dir, { recursive: true, mode: 0o700 });
    await rm(this.portsDir, { recursive: true, force: true });
    await mkdir(this.portsDir, { mode: 0o700 });
    await writeSecret(this.tokenFile, `${this.token}\n`);
    await writeSecret(conf, `authorization {\n  token: "${this.token}"\n}\n`);
  }

  /** SIGTERM (then SIGKILL after a grace period) to nats-server itself; resolves once it exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.intent = 'stop';
    this.setState('stopping');
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const signal = (s: NodeJS.Signals): void => {
      // The server itself first: the lifeline forwards, but a killed lifeline could not.
      if (this.pid) {
        try {
          process.kill(this.pid, s);
        } catch {
          // already gone
        }
      }
      child.kill(s);
    };
    signal('SIGTERM');
    const grace = setTimeout(() => signal('SIGKILL'), STOP_GRACE_MS);
    await gone.finally(() => clearTimeout(grace));
  }

  /** Polls the ports file nats-server writes once it listens (`nats-server_<pid>.ports`). */
  private async listening(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (this.child === child) {
      const found = await this.readPorts();
      if (found) {
        this.pid = found.pid;
        this.port = found.port;
        return;
      }
      if (Date.now() > deadline) {
        await this.stop();
        throw Object.assign(new Error('nats-server did not report its port in time'), {
          code: 'NatsUnavailable',
        });
      }
      await new Promise((r) => setTimeout(r, PORTS_POLL_MS));
    }
  }

  private async readPorts(): Promise<{ pid: number; port: number } | undefined> {
    const names = await readdir(this.portsDir).catch(() => []);
    for (const name of names) {
      const m = /^nats-server_(\d+)\.ports$/.exec(name);
      if (!m) continue;
      try {
        const ports = JSON.parse(await readFile(path.join(this.portsDir, name), 'utf8')) as PortsFile;
        const port = Number(new URL(ports.nats?.[0] ?? '').port);
        if (port > 0) return { pid: Number(m[1]), port };
      } catch {
        // written but not complete yet: read it again
      }
    }
    return undefined;
  }

  private setState(state: ServerState): void {
    this.state = state;
    this.emit('state');
  }
}

/** Creates or rewrites a file only its owner can read. */
async function writeSecret(file: string, text: string): Promise<void> {
  await writeFile(file, text, { mode: 0o600 });
  await chmod(file, 0o600);
}

/**
 * PortInUse when its port is taken (a restart on the port the nodes know), else NatsCrashed. An
 * exit with a code tells why in its last fatal (or last) log line; a signal's log says nothing.
 */
function exitError(
  port: number,
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
): HostError {
  if (/address already in use/i.test(stderr))
    return { code: 'PortInUse', message: `port ${port} is taken by another program` };
  if (signal) return { code: 'NatsCrashed', message: `ended by ${signal}` };
  const lines = stderr.trim().split('\n');
  const why = lines.findLast((l) => /\[(FTL|ERR)\]/.test(l)) ?? lines.pop() ?? '';
  return { code: 'NatsCrashed', message: `exited with code ${code}${why ? `: ${why}` : ''}` };
}
