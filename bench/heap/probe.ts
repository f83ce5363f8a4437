/**
 * Where a held connection's memory goes (issue #9, W3/W4): `node bench/dist/heap/probe.js
 * [--proto=smq-raw|smq-ws] [--devices=1000] [--displays=10] [--hold] [--publish-s=10]
 * [--broker=<broker package dir>] [--snapshots]`.
 *
 * Runs our node from the build in its own process (node.ts, --expose-gc) and the connections in
 * another (fleet.ts), then prints per connection: RSS, V8 heap used and committed, and the young
 * generation (new_space), each after a forced GC; with --snapshots, heap snapshots before and
 * after connecting, diffed into self size per constructor; with --publish-s, what the same reads
 * are after that long at 1 msg/s per device (no forced GC: what W3 sees). Snapshots are written to
 * bench/results/heap-*.heapsnapshot (not committed).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kindSizes, perUnit } from './snapshot.js';
import type { FleetReply, MemSample, ProbeReply, ProbeRequest } from './types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..', '..');
const arg = (name: string, fallback: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const flag = (name: string): boolean => process.argv.includes(`--${name}`);

const proto = arg('proto', 'smq-raw');
const devices = Number(arg('devices', '1000'));
const displays = Number(arg('displays', flag('hold') ? '0' : '10'));
const publishS = Number(arg('publish-s', '0'));
const dist = path.join(path.resolve(arg('broker', path.join(repo, 'broker'))), 'dist');
const results = path.join(repo, 'bench', 'results');

let nextId = 0;
function ask<R extends ProbeReply>(node: ChildProcess, req: ProbeRequest & { id: number }): Promise<R> {
  return new Promise((resolve) => {
    const on = (m: ProbeReply): void => {
      if ('id' in m && m.id === req.id) {
        node.off('message', on);
        resolve(m as R);
      }
    };
    node.on('message', on);
    node.send(req);
  });
}
const sample = async (node: ChildProcess, gc: boolean): Promise<MemSample> =>
  (await ask<Extract<ProbeReply, { kind: 'sample' }>>(node, { kind: 'sample', id: nextId++, gc })).sample;
const snapshot = async (node: ChildProcess, name: string): Promise<string> =>
  (
    await ask<Extract<ProbeReply, { kind: 'snapshot' }>>(node, {
      kind: 'snapshot',
      id: nextId++,
      file: path.join(results, `heap-${name}.heapsnapshot`),
    })
  ).file;
function first<T>(cp: ChildProcess, kind: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { kind: string }): void => {
      if (m.kind !== kind) return;
      cp.off('message', on);
      resolve(m as T);
    };
    cp.on('message', on);
  });
}
const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number): string => (bytes / 1e6).toFixed(2);

function perThousand(label: string, a: MemSample, b: MemSample, conns: number): string {
  const k = (x: number, y: number): string => mb(((y - x) / conns) * 1000).padStart(7);
  const ns = (s: MemSample): number => s.spaces.new_space ?? NaN;
  return (
    `${label.padEnd(34)} RSS ${k(a.rss, b.rss)}  heap used ${k(a.heapUsed, b.heapUsed)}  ` +
    `heap committed ${k(a.heapTotal, b.heapTotal)}  (new space ${mb(ns(a))} → ${mb(ns(b))} MB)`
  );
}

async function main(): Promise<void> {
  mkdirSync(results, { recursive: true });
  const node = fork(path.join(here, 'node.js'), [dist], { execArgv: ['--expose-gc'] });
  const { port } = await first<{ port: number }>(node, 'ready');
  await delay(1000);
  const idle = await sample(node, true);
  const snap0 = flag('snapshots') ? await snapshot(node, `${proto}-idle`) : undefined;
  const base = snap0 ? await sample(node, true) : idle; // writing a snapshot itself grows RSS
  const fleet = fork(path.join(here, 'fleet.js'), [
    String(port),
    proto,
    String(devices),
    String(displays),
    flag('hold') ? '1' : '0',
  ]);
  const { connections } = await first<Extract<FleetReply, { kind: 'connected' }>>(fleet, 'connected');
  await delay(1000);
  const held = await sample(node, true);
  console.log(
    `${proto}: ${connections} connections (${devices} devices, ${displays} displays), per 1,000 (MB):`,
  );
  console.log(perThousand('held, after GC', base, held, connections));
  if (snap0) {
    const snap1 = await snapshot(node, `${proto}-held`);
    const rows = perUnit(kindSizes(snap0), kindSizes(snap1), connections);
    const total = rows.reduce((n, r) => n + r.bytes, 0);
    console.log(`heap snapshot: ${total.toFixed(0)} B self size per connection; largest kinds:`);
    for (const r of rows.slice(0, 20))
      console.log(`  ${r.bytes.toFixed(0).padStart(6)} B  ${r.count.toFixed(2).padStart(5)} ×  ${r.kind}`);
  }
  if (publishS > 0) {
    fleet.send('publish');
    await delay(publishS * 1000);
    const loaded = await sample(node, false);
    fleet.send('stop');
    const { delivered } = await first<Extract<FleetReply, { kind: 'stopped' }>>(fleet, 'stopped');
    // Writing a heap snapshot grows RSS for good: compare from the held state then.
    const from = snap0 ? held : idle;
    const label = snap0 ? `publishing ${publishS} s (vs held)` : `publishing ${publishS} s, no forced GC`;
    console.log(perThousand(label, from, loaded, connections));
    if (snap0) console.log('  (RSS after heap snapshots is not comparable: run without --snapshots for it)');
    console.log(`  (${delivered} messages delivered to the displays)`);
  }
  fleet.send('exit');
  node.send({ kind: 'exit' } satisfies ProbeRequest);
}

void main();
