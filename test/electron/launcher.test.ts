import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unpacked } from '../../electron/app-paths.js';
import { dataDir, hostPort } from '../../electron/data-dir.js';
import { electronBinaryPath, failureReason, missingDisplay } from '../../electron/electron-binary.js';

describe('finding the Electron binary like the electron package does', () => {
  it('uses path.txt under dist/, or under ELECTRON_OVERRIDE_DIST_PATH (default name electron)', () => {
    const pkg = mkdtempSync(join(tmpdir(), 'smq-electron-pkg-'));
    expect(electronBinaryPath(pkg, {})).toBeNull();
    expect(electronBinaryPath(pkg, { ELECTRON_OVERRIDE_DIST_PATH: '/opt/e' })).toBe(
      join('/opt/e', 'electron'),
    );
    writeFileSync(join(pkg, 'path.txt'), 'electron.exe');
    expect(electronBinaryPath(pkg, {})).toBe(join(pkg, 'dist', 'electron.exe'));
    expect(electronBinaryPath(pkg, { ELECTRON_OVERRIDE_DIST_PATH: '/opt/e' })).toBe(
      join('/opt/e', 'electron.exe'),
    );
  });

  it("turns the install step's output into one short reason, never a stack", () => {
    expect(
      failureReason('TypeError: fetch failed\n    at node:internal/deps/undici:1:1\n    at async x\n'),
    ).toBe('fetch failed');
    expect(
      failureReason('Downloading…\nHTTPError: Response code 404 (Not Found) for http://m/x.zip\n    at y'),
    ).toBe('Response code 404 (Not Found) for http://m/x.zip');
    expect(failureReason('Error [ERR_X]: nope\n')).toBe('nope');
    expect(failureReason('something odd\nlast words\n')).toBe('last words');
    expect(failureReason('')).toBeNull();
  });

  it('knows a Linux session without a display cannot show a window', () => {
    expect(missingDisplay({}, 'linux')).toMatch(/no display/);
    expect(missingDisplay({ DISPLAY: ':0' }, 'linux')).toBeNull();
    expect(missingDisplay({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBeNull();
    expect(missingDisplay({}, 'darwin')).toBeNull();
    expect(missingDisplay({}, 'win32')).toBeNull();
  });
});

describe('app data folder and paths', () => {
  it('is SMQ_CC_DATA_DIR, else the per-user config folder of the platform', () => {
    expect(dataDir({ SMQ_CC_DATA_DIR: '/d' }, 'linux', '/home/u')).toBe('/d');
    expect(dataDir({}, 'linux', '/home/u')).toBe(join('/home/u', '.config', 'smq-control-center'));
    expect(dataDir({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/u')).toBe(join('/x', 'smq-control-center'));
    expect(dataDir({}, 'darwin', '/Users/u')).toBe(
      join('/Users/u', 'Library', 'Application Support', 'smq-control-center'),
    );
    expect(dataDir({ APPDATA: 'C:\\AppData' }, 'win32', 'C:\\u')).toBe(
      join('C:\\AppData', 'smq-control-center'),
    );
  });

  it('reads SMQ_CC_PORT, refusing what is not a port', () => {
    expect(hostPort({})).toBe(0);
    expect(hostPort({ SMQ_CC_PORT: '8700' })).toBe(8700);
    expect(() => hostPort({ SMQ_CC_PORT: '70000' })).toThrow(/SMQ_CC_PORT/);
    expect(() => hostPort({ SMQ_CC_PORT: 'x' })).toThrow(/SMQ_CC_PORT/);
  });

  it('runs files listed in asarUnpack from app.asar.unpacked', () => {
    const resources = mkdtempSync(join(tmpdir(), 'smq-resources-'));
    const inAsar = join(resources, 'app.asar', 'dist', 'broker', 'smq-node.mjs');
    expect(unpacked(inAsar)).toBe(inAsar); // nothing unpacked: unchanged
    mkdirSync(join(resources, 'app.asar.unpacked', 'dist', 'broker'), { recursive: true });
    writeFileSync(join(resources, 'app.asar.unpacked', 'dist', 'broker', 'smq-node.mjs'), '');
    expect(unpacked(inAsar)).toBe(join(resources, 'app.asar.unpacked', 'dist', 'broker', 'smq-node.mjs'));
    expect(unpacked(`${sep}repo${sep}dist${sep}x.mjs`)).toBe(`${sep}repo${sep}dist${sep}x.mjs`);
  });
});
