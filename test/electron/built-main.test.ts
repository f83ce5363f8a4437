import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Child } from '../helpers/ChildProcess.js';
import { login } from './helpers/host.js';

/*
 * The bundle Electron runs, dist/electron/main.mjs, under plain Node with `electron` resolved to a
 * stub (helpers/electron-stub): the ESM bundle loads, its host (the real ControlHost) listens, the
 * window gets the bundled preload and a URL that answers, and SIGTERM quits after the host closed.
 */
afterEach(() => Child.killAll());

it('runs as built: the host answers the URL the window loads, and SIGTERM quits cleanly', async () => {
  expect(existsSync('dist/electron/main.mjs'), 'run the build first (npm run build)').toBe(true);
  const child = new Child(
    process.execPath,
    ['--import', './test/electron/helpers/electron-stub/register.mjs', 'dist/electron/main.mjs'],
    { ...process.env, SMQ_CC_DATA_DIR: mkdtempSync(join(tmpdir(), 'smq-cc-built-main-')) },
  );
  const [, url] = await child.line(/^loadURL (\S+)$/m);
  expect(child.stdout).toContain(`preload ${resolve('dist/electron/preload.cjs')}\n`);
  const res = await login(url!);
  expect(res.status).toBe(303);
  const page = await fetch(new URL(url!).origin, { headers: { Cookie: res.cookie } });
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  child.proc.kill('SIGTERM');
  await child.waitExit();
  expect(child.stdout).toMatch(/\nquit\n$/);
  expect(child.exitCode).toBe(0);
  expect(child.stderr).toBe('');
});
