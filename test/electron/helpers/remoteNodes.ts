import { createServer } from 'node:net';
import { Child } from '../../helpers/ChildProcess.js';
import { SMQ_NODE_BIN } from '../../helpers/nodeProcess.js';
import { waitFor } from '../../helpers/waitFor.js';

/** What the remote nodes are started with (env SMQ_ADMIN_TOKEN), and what attachCluster is given. */
export const ADMIN_TOKEN = 'remote-admin-token-for-tests-0123';
const SECRET = 'remote-cluster-secret-0123456789';
const READY = /smq-node listening on (https?):\/\/([\d.]+):(\d+)/;

/**
 * One `smq-node` someone else runs, as far as the host can tell: its own process group, and bound
 * to an address of its own in 127/8 (127.0.0.2, .3 …), so a host that assumed 127.0.0.1 for a
 * remote node would not reach it.
 */
export interface RemoteNode {
  child: Child;
  name: string;
  address: string;
  port: number;
  /** http://address:port, or https:// with `tls` */
  origin: string;
}

/** PEM files an smq-node serves TLS with: --tls-cert, --tls-key, --tls-ca (links verify peers by it). */
export interface NodeTlsFiles {
  certFile: string;
  keyFile: string;
  caFile: string;
}

export async function spawnRemote(
  name: string,
  address: string,
  options: { port?: number; peers?: string[]; adminToken?: string | null; tls?: NodeTlsFiles } = {},
): Promise<RemoteNode> {
  const env: NodeJS.ProcessEnv = { ...process.env, SMQ_CLUSTER_SECRET: SECRET };
  delete env.SMQ_ADMIN_TOKEN;
  if (options.adminToken !== null) env.SMQ_ADMIN_TOKEN = options.adminToken ?? ADMIN_TOKEN;
  const args = [SMQ_NODE_BIN, '--host', address, '--port', String(options.port ?? 0), '--name', name];
  for (const p of options.peers ?? []) args.push('--peer', p);
  const { tls } = options;
  if (tls) args.push('--tls-cert', tls.certFile, '--tls-key', tls.keyFile, '--tls-ca', tls.caFile);
  const child = new Child(process.execPath, [...args, '--log-level', 'warn'], env);
  const [, scheme, , port] = await child.line(READY);
  return { child, name, address, port: Number(port), origin: `${scheme}://${address}:${port}` };
}

async function upLinks(n: RemoteNode): Promise<number> {
  const h = (await (await fetch(`${n.origin}/health`)).json()) as {
    cluster?: { links: { state: string }[] };
  };
  return (h.cluster?.links ?? []).filter((l) => l.state === 'up').length;
}

/** a on 127.0.0.2, b on .3, c on .4 …; each told only a (gossip links the rest), mesh awaited. */
export async function spawnRemoteCluster(names = ['a', 'b', 'c']): Promise<RemoteNode[]> {
  const first = await spawnRemote(names[0]!, '127.0.0.2');
  const nodes = [first];
  for (const [i, name] of names.slice(1).entries()) {
    nodes.push(await spawnRemote(name, `127.0.0.${i + 3}`, { peers: [`ws://127.0.0.2:${first.port}`] }));
  }
  for (const n of nodes) {
    await waitFor(async () => (await upLinks(n)) === nodes.length - 1, {
      timeout: 15_000,
      what: `a full mesh seen by ${n.name}`,
    });
  }
  return nodes;
}

/** A port nothing listens on (bound, then closed): a refused connection. */
export async function closedPort(address = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** True while the node answers /health: nothing the host did stopped it. */
export async function answers(n: RemoteNode): Promise<boolean> {
  try {
    return (await fetch(`${n.origin}/health`)).ok;
  } catch {
    return false;
  }
}
