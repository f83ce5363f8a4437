/**
 * The node under the heap probe: our SmqNode + NodeServer from a build's dist, in this process, so
 * the probe can force GCs, read V8's spaces and /proc RSS, and write heap snapshots on request.
 * Started by probe.ts with --expose-gc; argv[2] is the broker's dist directory.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import type { MemSample, ProbeRequest } from './types.js';

interface BrokerModule {
  SmqNode: new (o: { name: string }) => unknown;
  NodeServer: new (node: unknown, o: object) => { listen(): Promise<{ port: number }> };
}

const dist = process.argv[2]!;
const { SmqNode, NodeServer } = (await import(
  pathToFileURL(path.join(dist, 'index.js')).href
)) as BrokerModule;
const server = new NodeServer(new SmqNode({ name: 'heap-probe' }), {});
const { port } = await server.listen();
const gc = (globalThis as { gc?: () => void }).gc;

function rss(): number {
  const m = readFileSync('/proc/self/status', 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return m ? Number(m[1]) * 1024 : NaN;
}

function sample(collect: boolean): MemSample {
  if (collect) {
    gc?.();
    gc?.();
  }
  const m = process.memoryUsage();
  const spaces: Record<string, number> = {};
  for (const s of v8.getHeapSpaceStatistics()) spaces[s.space_name] = s.space_size;
  return { rss: rss(), heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external, spaces };
}

process.on('message', (req: ProbeRequest) => {
  if (req.kind === 'sample') process.send!({ kind: 'sample', id: req.id, sample: sample(req.gc) });
  else if (req.kind === 'snapshot') {
    gc?.();
    process.send!({ kind: 'snapshot', id: req.id, file: v8.writeHeapSnapshot(req.file) });
  } else process.exit(0);
});
process.send!({ kind: 'ready', port });
