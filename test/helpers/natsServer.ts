import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Child } from './ChildProcess.js';
import { waitFor } from './waitFor.js';

export const NATS_SERVER_BIN = '/usr/sbin/nats-server';

/** One nats-server on loopback: its own process group, killed by stop() or Child.killAll(). */
export interface NatsServer {
  child: Child;
  /** nats://127.0.0.1:port for clients. */
  url: string;
  /** nats://127.0.0.1:port for routes from other servers, when started as a cluster member. */
  routeUrl: string | undefined;
  stop(): Promise<void>;
}

export interface NatsServerOptions {
  /** Listen for routes (a port the server picks) so other servers can cluster with this one. */
  clusterName?: string;
  /** Route URLs of servers to cluster with. */
  routes?: string[];
  user?: string;
  pass?: string;
  /** A fixed client port (a restart on the port a stopped server had); default: one it picks. */
  port?: number;
  /** Serve clients over TLS with this PEM certificate and key. */
  tls?: { cert: string; key: string };
}

interface PortsFile {
  nats?: string[];
  cluster?: string[];
}

/** Starts nats-server on a port it picks (-p -1, unless told one) and reads it from its ports file. */
export async function startNatsServer(o: NatsServerOptions = {}): Promise<NatsServer> {
  const dir = mkdtempSync(join(tmpdir(), 'smq-nats-'));
  const args = ['-a', '127.0.0.1', '-p', String(o.port ?? -1), '--ports_file_dir', dir];
  if (o.clusterName) args.push('--cluster_name', o.clusterName, '--cluster', 'nats://127.0.0.1:-1');
  if (o.routes?.length) args.push('--routes', o.routes.join(','));
  if (o.user) args.push('--user', o.user, '--pass', o.pass ?? '');
  if (o.tls) {
    writeFileSync(join(dir, 'cert.pem'), o.tls.cert);
    writeFileSync(join(dir, 'key.pem'), o.tls.key);
    args.push('--tls', '--tlscert', join(dir, 'cert.pem'), '--tlskey', join(dir, 'key.pem'));
  }
  const child = new Child(NATS_SERVER_BIN, args);
  const file = join(dir, `nats-server_${child.proc.pid}.ports`);
  const ports = await waitFor(
    () => {
      if (child.exited) throw new Error(`nats-server exited: ${child.stderr}`);
      try {
        const p = JSON.parse(readFileSync(file, 'utf8')) as PortsFile;
        return p.nats?.length && (!o.clusterName || p.cluster?.length) ? p : undefined;
      } catch {
        return undefined;
      }
    },
    { timeout: 10_000, what: 'the nats-server ports file' },
  );
  return {
    child,
    url: ports.nats![0]!,
    routeUrl: ports.cluster?.[0],
    stop: async () => {
      child.kill('SIGKILL');
      await child.waitExit();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Three servers clustered on loopback (each routes to the first), ready once all report 2 routes. */
export async function startNatsCluster(count = 3): Promise<NatsServer[]> {
  const first = await startNatsServer({ clusterName: 'smq-test' });
  const servers = [first];
  for (let i = 1; i < count; i++)
    servers.push(await startNatsServer({ clusterName: 'smq-test', routes: [first.routeUrl!] }));
  await waitFor(() => servers.every((s) => routesOf(s) >= count - 1), {
    timeout: 15_000,
    what: `${count} nats-servers routed to each other`,
  });
  return servers;
}

/** Routes a server logged as established (its stderr, no monitoring port needed). */
function routesOf(s: NatsServer): number {
  return (s.child.stderr.match(/Route connection created/g) ?? []).length;
}
