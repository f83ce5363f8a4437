import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeProcess } from '../../../../electron/host/control/NodeProcess.js';
import { cmdline } from '../../../helpers/cmdline.js';

const BIN = resolve('broker/bin/smq-node.js');

describe('NodeProcess', () => {
  it.runIf(process.platform === 'linux')('spawns smq-node with the node flags of its shebang', async () => {
    const node = new NodeProcess({
      id: 'flags',
      nodeBin: BIN,
      execPath: process.execPath,
      host: '127.0.0.1',
      secret: 'test-secret',
      adminToken: 'test-admin-token-0123456789',
      log: () => {},
    });
    await node.start([]);
    try {
      const argv = cmdline(node.pid!);
      expect(argv.indexOf('--max-semi-space-size=2')).toBeGreaterThan(0);
      expect(argv.indexOf('--max-semi-space-size=2')).toBeLessThan(argv.indexOf(BIN));
    } finally {
      await node.stop();
    }
  });
});
