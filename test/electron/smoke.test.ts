import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterEach, expect, it } from 'vitest';
import { electronPackageDir, missingDisplay, presentElectronBinary } from '../../electron/electron-binary.js';

/*
 * The desktop app itself, where an Electron binary exists (none can be downloaded on our CI
 * machines: there this test skips and says why). Same built main as `npm start` launches.
 */
const MAIN = resolve('dist/electron/main.mjs');
const packageDir = electronPackageDir(pathToFileURL(resolve('package.json')).href);
const binary = packageDir === null ? null : presentElectronBinary(packageDir, process.env);
const skipReason =
  binary === null
    ? 'no Electron binary here (node_modules/electron has no dist/ and ELECTRON_OVERRIDE_DIST_PATH is unset)'
    : missingDisplay(process.env, process.platform);

let app: ElectronApplication | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

it('opens one sandboxed window on the host page, with only the connection details exposed', async (ctx) => {
  if (skipReason !== null) {
    process.stdout.write(`[electron smoke test] skipped: ${skipReason}\n`);
    ctx.skip(skipReason);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'smq-cc-electron-'));
  app = await _electron.launch({
    executablePath: binary!,
    // Chromium refuses to run as root with its OS sandbox on (CI containers run as root).
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), MAIN],
    env: { ...process.env, SMQ_CC_DATA_DIR: dataDir },
    timeout: 30_000,
  });
  const page = await app.firstWindow();
  await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/$/, { timeout: 15_000 });
  const origin = new URL(page.url()).origin;

  const exposed = await page.evaluate(() => {
    const g = globalThis as unknown as Record<string, unknown>;
    const details = g.smqConnection as Record<string, unknown> | undefined;
    return {
      details: details ? { ...details } : null,
      frozen: details ? Object.isFrozen(details) : false,
      require: typeof g.require,
      process: typeof g.process,
    };
  });
  expect(exposed).toEqual({
    details: { hostUrl: origin, wsPath: '/host' },
    frozen: true,
    require: 'undefined',
    process: 'undefined',
  });

  // One window (webPreferences themselves are checked in main.test.ts: Electron 45 cannot read them back).
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);

  // The CSP holds: a loopback server that would answer any origin is never even asked.
  const asked: string[] = [];
  const bystander = createServer((req, res) => {
    asked.push(req.url ?? '');
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*' }).end('ok');
  });
  await new Promise<void>((r) => bystander.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(bystander.address() as AddressInfo).port}/`;
    expect((await fetch(url)).status).toBe(200); // it does answer
    const fetched = await page.evaluate(async (u) => {
      try {
        return (await fetch(u)).status;
      } catch {
        return 'blocked';
      }
    }, url);
    expect(fetched).toBe('blocked');
    expect(asked).toEqual(['/']); // only the test's own request
  } finally {
    bystander.close();
  }

  mkdirSync('test-results/electron', { recursive: true });
  await page.screenshot({ path: 'test-results/electron/smoke-window.png' });
}, 60_000);
