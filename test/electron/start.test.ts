import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Child } from '../helpers/ChildProcess.js';
import { waitFor } from '../helpers/waitFor.js';
import { login } from './helpers/host.js';

/*
 * `npm start` as a process: `node electron/bin/start.mjs`, which runs the built launcher
 * dist/electron/start.mjs. The launch path
 * runs a fake Electron binary (ELECTRON_OVERRIDE_DIST_PATH, read by the electron package); the
 * fetch path runs the electron package's real install step against a local mirror that fails it
 * (ELECTRON_MIRROR), so the test never downloads even where there is network.
 */
const START = resolve('electron/bin/start.mjs'); // what npm start runs
const MAIN = resolve('dist/electron/main.mjs');
const ELECTRON_DIR = resolve('node_modules/electron');
/** The executable name index.js would use under ELECTRON_OVERRIDE_DIST_PATH. */
const EXECUTABLE = existsSync(join(ELECTRON_DIR, 'path.txt'))
  ? readFileSync(join(ELECTRON_DIR, 'path.txt'), 'utf8')
  : 'electron';
const realBinary = existsSync(join(ELECTRON_DIR, 'path.txt'))
  ? `an Electron binary is installed (${join(ELECTRON_DIR, 'dist', EXECUTABLE)}), so npm start would launch it`
  : null;

const URL_LINE = /^SMQ Control Center: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43})\n$/;
const servers: Server[] = [];

beforeAll(() => {
  expect(existsSync('dist/electron/start.mjs'), 'run the build first (npm run build)').toBe(true);
});
afterEach(async () => {
  await Child.killAll();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const dropped = new Set([
    'ELECTRON_OVERRIDE_DIST_PATH',
    'HTTP_PROXY',
    'HTTPS_PROXY',
    'http_proxy',
    'https_proxy',
    'npm_config_electron_mirror',
  ]);
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !dropped.has(name)));
  return {
    ...env,
    SMQ_CC_DATA_DIR: mkdtempSync(join(tmpdir(), 'smq-cc-start-')),
    electron_config_cache: mkdtempSync(join(tmpdir(), 'smq-cc-electron-cache-')),
    ...extra,
  };
}

/** A fake Electron: records its argv and ELECTRON_RUN_AS_NODE, exits 7. */
function fakeElectron(): { dir: string; record: string } {
  const dir = mkdtempSync(join(tmpdir(), 'smq-fake-electron-'));
  const record = join(dir, 'record.json');
  const bin = join(dir, EXECUTABLE);
  writeFileSync(
    bin,
    `#!${process.execPath}\n` +
      `require('fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({ argv: process.argv.slice(2), ` +
      'runAsNode: process.env.ELECTRON_RUN_AS_NODE ?? null }));\nprocess.exit(7);\n',
  );
  chmodSync(bin, 0o755);
  return { dir, record };
}

/** An Electron download mirror on 127.0.0.1: `fail` answers 404, `hang` accepts and never answers. */
async function mirror(
  kind: 'fail' | 'hang',
): Promise<{ url: string; requests: string[]; sockets: Socket[] }> {
  const requests: string[] = [];
  const sockets: Socket[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (kind === 'fail') res.writeHead(404).end('not here');
  });
  server.on('connection', (s) => sockets.push(s));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, requests, sockets };
}

/** Browser mode answered: token → 303 + cookie → 200 HTML page. */
async function servesTheUi(url: string): Promise<void> {
  const res = await login(url);
  expect(res.status).toBe(303);
  expect(res.setCookie).toMatch(/HttpOnly; SameSite=Strict/);
  const page = await fetch(new URL(url).origin + '/', { headers: { Cookie: res.cookie } });
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
}

describe('npm start', () => {
  it('launches Electron on the built main when the binary is present, passing arguments through', async () => {
    const fake = fakeElectron();
    const child = new Child(process.execPath, [START, '--some-flag'], {
      ...baseEnv({ ELECTRON_OVERRIDE_DIST_PATH: fake.dir, DISPLAY: ':99', ELECTRON_RUN_AS_NODE: '1' }),
    });
    await child.waitExit(15_000);
    expect(child.exitCode).toBe(7); // the app's exit code is npm start's
    expect(JSON.parse(readFileSync(fake.record, 'utf8'))).toEqual({
      argv: [MAIN, '--some-flag'],
      runAsNode: null,
    });
    expect(child.stdout).toBe('');
    expect(child.stderr).toBe('');
  });

  it.skipIf(realBinary)(
    'without a binary and with a failing download: one line on stderr, then the UI served to a browser within 20 s',
    async () => {
      const m = await mirror('fail');
      const started = Date.now();
      const child = new Child(process.execPath, [START], baseEnv({ ELECTRON_MIRROR: m.url, DISPLAY: ':99' }));
      const [, url] = await child.line(/SMQ Control Center: (\S+)\n/, 20_000);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(child.stdout).toMatch(URL_LINE);
      expect(m.requests).toEqual([`/v45.4.1/electron-v45.4.1-${process.platform}-${process.arch}.zip`]);
      const lines = child.stderr.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^SMQ Control Center: no Electron window \(its download failed: Response code 404/,
      );
      expect(lines[0]).toMatch(/serving the control center to a browser instead\.$/);
      expect(child.stderr).not.toMatch(/\n\s+at /); // no stack
      await servesTheUi(url!);
      child.kill('SIGINT');
      await child.waitExit();
      expect(child.exitCode).toBe(0);
      expect(child.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    },
  );

  it.skipIf(realBinary)(
    'gives up on a download that hangs at the time limit, killing the install step',
    async () => {
      const m = await mirror('hang');
      const child = new Child(
        process.execPath,
        [START],
        baseEnv({ ELECTRON_MIRROR: m.url, SMQ_CC_FETCH_TIMEOUT_MS: '1000', DISPLAY: ':99' }),
      );
      const [, url] = await child.line(/SMQ Control Center: (\S+)\n/, 10_000);
      expect(child.stderr).toBe(
        'SMQ Control Center: no Electron window (its download did not finish within 1 s); ' +
          'serving the control center to a browser instead.\n',
      );
      // The install step held the mirror's only connection; killed, it let go.
      expect(m.sockets.length).toBeGreaterThan(0);
      await waitFor(() => m.sockets.every((s) => s.destroyed || s.readyState === 'closed'), {
        what: 'the install step to be gone',
      });
      await servesTheUi(url!);
    },
  );

  it('says in one line that the app is not built, when it is not', async () => {
    const checkout = mkdtempSync(join(tmpdir(), 'smq-unbuilt-'));
    mkdirSync(join(checkout, 'electron', 'bin'), { recursive: true });
    copyFileSync(START, join(checkout, 'electron', 'bin', 'start.mjs'));
    const child = new Child(process.execPath, [join(checkout, 'electron', 'bin', 'start.mjs')], baseEnv({}));
    await child.waitExit();
    expect(child.exitCode).toBe(1);
    expect(child.stderr).toBe(
      'SMQ Control Center: the app is not built (dist/electron/start.mjs is missing); run npm run build\n',
    );
  });

  it.skipIf(process.platform !== 'linux')(
    'serves a browser when the binary is present but there is no display',
    async () => {
      const fake = fakeElectron();
      const env = baseEnv({ ELECTRON_OVERRIDE_DIST_PATH: fake.dir });
      delete env.DISPLAY;
      delete env.WAYLAND_DISPLAY;
      const child = new Child(process.execPath, [START], env);
      const [, url] = await child.line(/SMQ Control Center: (\S+)\n/, 10_000);
      expect(child.stderr).toMatch(
        /^SMQ Control Center: no Electron window \(no display .*\); serving .*\n$/,
      );
      expect(existsSync(fake.record)).toBe(false);
      await servesTheUi(url!);
    },
  );
});
