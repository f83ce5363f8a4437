import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Child } from '../../helpers/ChildProcess.js';
import { spawnNode } from '../../helpers/nodeProcess.js';
import { startCluster, type ClusterMember } from '../../helpers/startCluster.js';
import { runLoad, type LoadResult } from '../../../broker/src/load/LoadRun.js';

const BIN = resolve('node_modules/.bin/smq-load');
const SUMMARY =
  /^sent (\d+) \([\d.]+ msgs\/s\), received (\d+) of (\d+) \([\d.]+ msgs\/s\), lost (\d+) \([\d.]+%\), latency p50 ([\d.]+) ms p99 ([\d.]+) ms max [\d.]+ ms$/m;

let members: ClusterMember[] = [];
afterEach(async () => {
  await Promise.all(members.map((m) => m.close()));
  members = [];
  await Child.killAll();
});

function smqLoad(...args: string[]): Child {
  return new Child(process.execPath, [BIN, ...args]);
}

describe('smq-load command', () => {
  it('is linked in node_modules/.bin to the committed plain-JS bin', () => {
    expect(existsSync(BIN)).toBe(true);
    expect(realpathSync(BIN)).toBe(resolve('broker/bin/smq-load.js'));
  });

  it('prints one result line: every message sent reached every subscriber on loopback', async () => {
    const node = await spawnNode('load');
    const c = smqLoad(
      '--url',
      `ws://127.0.0.1:${node.port}/smq.lsp`,
      '-p',
      '2',
      '-s',
      '3',
      '-r',
      '100',
      '-d',
      '1',
    );
    await c.waitExit(20_000);
    expect(c.exitCode, c.stderr).toBe(0);
    const m = c.stdout.match(SUMMARY)!;
    expect(m, c.stdout).not.toBeNull();
    const [sent, received, expected, lost, p50, p99] = m.slice(1).map(Number);
    expect(sent).toBe(200);
    expect(expected).toBe(sent! * 3);
    expect(received).toBe(expected);
    expect(lost).toBe(0);
    expect(p50).toBeLessThanOrEqual(p99!);
  });

  it('prints a JSON result with --json, over raw TCP and WebSocket URLs together', async () => {
    const node = await spawnNode('load-json');
    const c = smqLoad(
      '--url',
      `ws://127.0.0.1:${node.port}/smq.lsp`,
      '--url',
      `http://127.0.0.1:${node.port}/smq.lsp`,
      '-s',
      '2',
      '--topics',
      '1',
      '--size',
      '200',
      '-d',
      '1',
      '--json',
    );
    await c.waitExit(20_000);
    expect(c.exitCode, c.stderr).toBe(0);
    const r = JSON.parse(c.stdout) as LoadResult;
    expect(r).toMatchObject({
      sent: 100,
      expected: 200,
      received: 200,
      lost: 0,
      outOfOrder: 0,
      disconnects: 0,
    });
    expect(r.p50Ms).toBeGreaterThan(0);
    expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
  });

  it('refuses a payload too small for the stamp', async () => {
    const c = smqLoad('--size', '8');
    await c.waitExit();
    expect(c.exitCode).not.toBe(0);
    expect(c.stderr).toMatch(/--size/);
  });
});

describe('LoadRun in-process, across cluster nodes', () => {
  it.each([true, false])(
    'counts deliveries from publishers on one node to subscribers on the others (linked: %s)',
    async (linked) => {
      members = await startCluster(3, linked);
      const urls = members.map((m) => `ws://127.0.0.1:${m.port}/smq.lsp`);
      const spec = {
        urls,
        publishers: 3,
        subscribers: 3,
        topics: 2,
        rate: 50,
        payloadBytes: 32,
        durationMs: 500,
      };
      if (!linked) {
        // Negative control: unlinked, no subscription reaches a publisher on another node.
        await expect(runLoad({ ...spec, setupTimeoutMs: 1000 })).rejects.toThrow(/every subscription/);
        return;
      }
      const r = await runLoad(spec);
      expect(r.sent).toBe(75);
      expect(r).toMatchObject({ expected: 225, received: 225, lost: 0, outOfOrder: 0 });
    },
  );
});
