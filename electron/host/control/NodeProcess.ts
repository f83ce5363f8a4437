import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { nodeFlagsOf } from '../../../broker/src/cli/nodeFlags.js';
import type { HostError, NodeId, NodeState } from '../../../contract/hostContract.js';
import type { NodeNatsOptions } from './NatsTransport.js';

export interface NodeProcessOptions {
  id: NodeId;
  /** The smq-node entry script, run with `execPath` and the node flags of its shebang. */
  nodeBin: string;
  /** Node, or Electron with ELECTRON_RUN_AS_NODE=1. */
  execPath: string;
  host: string;
  secret: string;
  adminToken: string;
  /**
   * TLS on the node's port and its links: the host's server certificate, and the local CA that
   * signed it (`ca`, its PEM text, is what the host's own clients of the node trust). Files are
   * read at each start: a certificate reissued in between takes effect then.
   */
  tls?: { certFile: string; keyFile: string; caFile: string; ca: string };
  /** Join through NATS (no --peer links): the server URL, the cluster's name on it, the token file. */
  nats?: NodeNatsOptions;
  log(level: 'info' | 'warn', message: string): void;
}

const LISTENING = /smq-node listening on https?:\/\/\S+:(\d+)/;
/** How long a clean stop may take before it becomes a SIGKILL. */
const STOP_GRACE_MS = 3000;

/**
 * One node as a child process. Its first start takes a free port (port 0); every later start
 * reuses that port, so device URLs stay valid across restarts. "Kill" is a real SIGKILL. The
 * child's stdin is its lifeline: it stops when the host goes away, even by a crash.
 */
export class NodeProcess extends EventEmitter<{ state: [] }> {
  state: NodeState = 'stopped';
  port = 0;
  /** The address it binds (127.0.0.1, or a LAN address the user chose); a new one takes effect on start. */
  host: string;
  pid: number | null = null;
  startedAt = 0;
  lastError: HostError | null = null;
  private child: ChildProcess | undefined;
  private intent: 'stop' | 'kill' | undefined;

  constructor(readonly o: NodeProcessOptions) {
    super();
    this.host = o.host;
  }

  get id(): NodeId {
    return this.o.id;
  }

  /** Starts the node linked to `peers` (ws://, or wss:// with TLS, URLs) or on NATS; resolves once it listens. */
  start(peers: string[]): Promise<void> {
    if (this.child) return Promise.resolve();
    const args = [
      ...nodeFlagsOf(this.o.nodeBin),
      this.o.nodeBin,
      '--name',
      this.o.id,
      '--host',
      this.host,
      '--port',
      String(this.port),
      '--exit-with-stdin',
      '--log-level',
      'info',
      ...peers.flatMap((p) => ['--peer', p]),
      ...natsFlags(this.o.nats),
      ...(this.o.tls
        ? ['--tls-cert', this.o.tls.certFile, '--tls-key', this.o.tls.keyFile, '--tls-ca', this.o.tls.caFile]
        : []),
    ];
    const child = spawn(this.o.execPath, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ELECTRON_RUN_AS_NODE: '1',
        SMQ_CLUSTER_SECRET: this.o.secret,
        SMQ_ADMIN_TOKEN: this.o.adminToken,
      },
    });
    this.child = child;
    this.intent = undefined;
    this.pid = child.pid ?? null;
    this.lastError = null;
    this.setState('starting');
    let stderrTail = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-2000);
    });
    return new Promise((resolve, reject) => {
      let buffered = '';
      const onOut = (chunk: string): void => {
        buffered += chunk;
        const m = LISTENING.exec(buffered);
        if (!m) return;
        child.stdout!.off('data', onOut).resume();
        this.port = Number(m[1]);
        this.startedAt = Date.now();
        this.setState('up');
        resolve();
      };
      child.stdout!.setEncoding('utf8').on('data', onOut);
      child.once('error', (err) => {
        this.lastError = { code: 'Internal', message: `cannot start ${this.id}: ${err.message}` };
      });
      child.once('exit', (code, signal) => {
        const starting = this.state === 'starting';
        this.child = undefined;
        this.pid = null;
        this.startedAt = 0;
        if (this.intent === 'kill') this.setState('killed');
        else if (this.intent === 'stop') this.setState('stopped');
        else {
          this.lastError = exitError(this.id, this.port, code, signal, stderrTail);
          this.o.log('warn', `${this.id} exited: ${this.lastError.message}`);
          this.setState('crashed');
        }
        if (starting)
          reject(
            Object.assign(new Error(this.lastError?.message ?? 'stopped while starting'), this.lastError),
          );
      });
    });
  }

  /** SIGTERM: the node closes its links and sessions; SIGKILL if it takes too long. */
  stop(): Promise<void> {
    return this.end('stop', 'SIGTERM');
  }

  /** SIGKILL, as a crash or power cut would end it. */
  kill(): Promise<void> {
    return this.end('kill', 'SIGKILL');
  }

  private end(intent: 'stop' | 'kill', signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child) return Promise.resolve();
    this.intent = intent;
    if (intent === 'stop') this.setState('stopping');
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const grace = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    return exited.finally(() => clearTimeout(grace));
  }

  private setState(state: NodeState): void {
    this.state = state;
    this.emit('state');
  }
}

/** The token reaches the node as a file (never on its command line, which `ps` shows). */
function natsFlags(nats: NodeNatsOptions | undefined): string[] {
  if (!nats) return [];
  const flags = ['--nats', nats.url, '--cluster', nats.cluster];
  return nats.tokenFile ? [...flags, '--nats-token-file', nats.tokenFile] : flags;
}

function exitError(
  id: NodeId,
  port: number,
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
): HostError {
  const last = stderr.trim().split('\n').pop() ?? '';
  if (/EADDRINUSE/.test(stderr)) return { code: 'PortInUse', message: `${id}: port ${port} is in use` };
  return {
    code: 'NodeCrashed',
    message: `${id} ${signal ? `ended by ${signal}` : `exited with code ${code}`}${last ? `: ${last}` : ''}`,
  };
}
