import { resolve } from 'node:path';
import { Child } from './ChildProcess.js';
import { waitFor } from './waitFor.js';
import type { LinkInfo } from '../../broker/src/cluster/index.js';

/** The linked bin, as a user runs it after npm ci. */
export const SMQ_NODE_BIN = resolve('node_modules/.bin/smq-node');
const READY = /smq-node listening on http:\/\/127\.0\.0\.1:(\d+)/;
export const SECRET = ['--secret', 'process-test'];

/** One smq-node process (own process group; Child.killAll() in afterEach ends it). */
export interface NodeProcess {
  child: Child;
  port: number;
  /** ws:// URL: cluster peers and WebSocket clients. */
  url: string;
}

export async function spawnNode(name: string, args: string[] = [], port = 0): Promise<NodeProcess> {
  const child = new Child(process.execPath, [
    SMQ_NODE_BIN,
    '--port',
    String(port),
    '--name',
    name,
    '--log-level',
    'warn',
    ...args,
  ]);
  const p = Number((await child.line(READY))[1]);
  return { child, port: p, url: `ws://127.0.0.1:${p}` };
}

export async function upLinks(n: NodeProcess): Promise<string[]> {
  const h = (await (await fetch(`http://127.0.0.1:${n.port}/health`)).json()) as {
    cluster?: { links: LinkInfo[] };
  };
  return (h.cluster?.links ?? []).filter((l) => l.state === 'up').map((l) => l.remoteName!);
}

export async function waitForProcessMesh(nodes: NodeProcess[]): Promise<void> {
  for (const n of nodes) {
    await waitFor(async () => (await upLinks(n)).length === nodes.length - 1, { what: 'a full mesh' });
  }
}

/** a, then b and c told only a (gossip links b and c); unlinked: the same processes without --peer. */
export async function spawnCluster(linked: boolean, names = ['a', 'b', 'c']): Promise<NodeProcess[]> {
  const first = await spawnNode(names[0]!, SECRET);
  const nodes = [first];
  for (const name of names.slice(1)) {
    nodes.push(await spawnNode(name, linked ? [...SECRET, '--peer', first.url] : SECRET));
  }
  if (linked) await waitForProcessMesh(nodes);
  return nodes;
}
