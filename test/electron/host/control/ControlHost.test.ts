import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ControlHost } from '../../../../electron/host/control/ControlHost.js';
import { SMQ_NODE_BIN } from '../../../helpers/nodeProcess.js';
import { direct } from '../../helpers/hostTransports.js';
import { contractSuite } from './contractSuite.js';
import { waitFor } from '../../../helpers/waitFor.js';
import { connectClient } from '../../../../broker/src/index.js';

describe('the contract, called directly on the host', () => {
  contractSuite(direct);
});

describe('cluster profiles', () => {
  it('a restarted host restores the last cluster on the same ports, with its fleets', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'smq-cc-profile-'));
    const options = { dataDir, nodeBin: SMQ_NODE_BIN, log: () => {} };
    const first = new ControlHost({ ...options, restore: false });
    const made = await first.call('createCluster', { nodes: 2, profile: 'lab' });
    await first.call('startFleet', { count: 3, namePrefix: 'dev', spread: { kind: 'random' } });
    await first.close();

    const second = new ControlHost(options);
    try {
      await second.restored;
      const snap = await second.call('snapshot', {});
      expect(snap.profile).toBe('lab');
      expect(snap.nodes.map((n) => [n.id, n.port, n.state])).toEqual(
        made.nodes.map((n) => [n.id, n.port, 'up']),
      );
      expect(snap.fleets.map((f) => [f.namePrefix, f.count])).toEqual([['dev', 3]]);
      await second.call('destroyCluster', {});
    } finally {
      await second.close();
    }
    const third = new ControlHost(options);
    await third.restored;
    expect((await third.call('snapshot', {})).exists).toBe(false);
    await third.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
});

describe('a cluster that cannot start again', () => {
  it('keeps its saved profile when a port is taken: every node is tried, the failed one shown', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'smq-cc-taken-'));
    const options = { dataDir, nodeBin: SMQ_NODE_BIN, log: () => {} };
    const first = new ControlHost({ ...options, restore: false });
    const made = await first.call('createCluster', { nodes: 3, profile: 'lab' });
    await first.call('startFleet', { count: 2, spread: { kind: 'random' } });
    await first.close();
    const saved = readFileSync(path.join(dataDir, 'profiles', 'lab.json'), 'utf8');
    // Another program (or a second instance) holds n1's port.
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(made.nodes[0]!.port, '127.0.0.1', r));
    const second = new ControlHost(options);
    try {
      await second.restored;
      const snap = await second.call('snapshot', {});
      expect(snap.nodes.map((n) => [n.id, n.state])).toEqual([
        ['n1', 'crashed'],
        ['n2', 'up'],
        ['n3', 'up'],
      ]);
      expect(snap.nodes[0]!.lastError?.code).toBe('PortInUse');
      expect(readFileSync(path.join(dataDir, 'profiles', 'lab.json'), 'utf8')).toBe(saved);
    } finally {
      await second.close();
      squatter.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('node figures', () => {
  it('msgs/s keeps one decimal over a 2 s window: a message every 0.7 s never reads 0', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'smq-cc-rate-'));
    const host = new ControlHost({
      dataDir,
      nodeBin: SMQ_NODE_BIN,
      restore: false,
      pollMs: 200,
      log: () => {},
    });
    const rates: number[] = [];
    host.subscribe((e) => {
      if (e.stream === 'cluster' && e.snapshot.nodes[0]?.state === 'up')
        rates.push(e.snapshot.nodes[0].msgsPerSec);
    });
    const { nodes } = await host.call('createCluster', { nodes: 1 });
    const sub = connectClient(nodes[0]!.wsUrl);
    const pub = connectClient(nodes[0]!.wsUrl);
    let timer: NodeJS.Timeout | undefined;
    try {
      let got = 0;
      await sub.subscribe('/rate/light', { onmsg: () => void got++ });
      await pub.create('/rate/light');
      pub.publish('x', '/rate/light');
      await waitFor(() => got > 0, { what: 'the first message' });
      timer = setInterval(() => pub.publish('x', '/rate/light'), 700);
      // From the first non-zero rate on, every window holds a delivery: watch ~2.5 s of snapshots.
      await waitFor(() => (rates.at(-1) ?? 0) > 0, { what: 'a non-zero rate' });
      const from = rates.length;
      await waitFor(() => rates.length - from >= 12, { timeout: 10_000, what: '12 snapshots' });
      const seen = rates.slice(from);
      expect(Math.min(...seen), seen.join(' ')).toBeGreaterThan(0);
      expect(Math.max(...seen), seen.join(' ')).toBeLessThan(3);
      expect(
        seen.some((r) => !Number.isInteger(r)),
        seen.join(' '),
      ).toBe(true);
      expect(
        seen.every((r) => Number.isInteger(r * 10)),
        seen.join(' '),
      ).toBe(true);
    } finally {
      clearInterval(timer);
      sub.disconnect();
      pub.disconnect();
      await host.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
