import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ControlHost } from '../../../../electron/host/control/ControlHost.js';
import { SMQ_NODE_BIN } from '../../../helpers/nodeProcess.js';
import { HostCallError, type HostApi } from '../../../../contract/hostContract.js';
import { contractSuite } from './contractSuite.js';

describe('the contract, called directly on the host', () => {
  contractSuite(async (host) => {
    const api: HostApi = {
      call: (cmd, args) =>
        host.call(cmd, args).catch((e: { code: never; message: string }) => {
          throw new HostCallError({ code: e.code, message: e.message });
        }),
      subscribe: (listener) => host.subscribe(listener),
    };
    return { api, close: async () => undefined };
  });
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
