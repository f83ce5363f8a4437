import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeFlagsOf, shebangNodeFlags } from '../../../broker/src/cli/nodeFlags.js';
import { Child } from '../../helpers/ChildProcess.js';
import { cmdline } from '../../helpers/cmdline.js';

const BIN = resolve('broker/bin/smq-node.js');
const READY = /^smq-node listening on http:\/\/127\.0\.0\.1:(\d+)$/m;

afterEach(() => Child.killAll());

describe('node flags from a bin shebang', () => {
  it('reads the flags of an `env -S node` line and nothing else', () => {
    expect(shebangNodeFlags('#!/usr/bin/env -S node --max-semi-space-size=2 --no-warnings')).toEqual([
      '--max-semi-space-size=2',
      '--no-warnings',
    ]);
    expect(shebangNodeFlags('#!/usr/bin/env node')).toEqual([]);
    expect(shebangNodeFlags('#!/usr/bin/env -S python3 --flag')).toEqual([]);
    expect(shebangNodeFlags('// no shebang')).toEqual([]);
  });

  it('smq-node asks for a capped young generation (bench W3: RSS per 1,000 devices)', () => {
    expect(nodeFlagsOf(BIN)).toContain('--max-semi-space-size=2');
  });

  it.runIf(process.platform === 'linux')('runs with them when executed directly', async () => {
    const c = new Child(BIN, ['--port', '0']);
    await c.line(READY);
    expect(cmdline(c.proc.pid!)).toEqual(expect.arrayContaining(['--max-semi-space-size=2', BIN]));
  });
});
