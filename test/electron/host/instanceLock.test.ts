import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBrowserMode, type BrowserMode } from '../../../electron/host/browserMode.js';
import { AlreadyRunning, InstanceLock } from '../../../electron/host/instanceLock.js';
import { fixtureRenderer } from '../helpers/host.js';

const dirs: string[] = [];
const fresh = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'smq-lock-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('InstanceLock', () => {
  it('refuses a second holder while the first lives, naming its pid and URL', () => {
    const dir = fresh();
    const lock = InstanceLock.acquire(dir);
    expect(() => InstanceLock.acquire(dir)).toThrow(`already running (pid ${process.pid}), still starting`);
    lock.listening('http://127.0.0.1:1234/?token=abc');
    expect((statSync(path.join(dir, 'host.lock')).mode & 0o777).toString(8)).toBe('600');
    expect(() => InstanceLock.acquire(dir)).toThrow(
      `already running (pid ${process.pid}): http://127.0.0.1:1234/?token=abc`,
    );
    lock.release();
    expect(() => readFileSync(path.join(dir, 'host.lock'))).toThrow();
  });

  it('takes over a lock whose process is gone', () => {
    const dir = fresh();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(path.join(dir, 'host.lock'), JSON.stringify({ pid: Number(dead.stdout) }));
    const lock = InstanceLock.acquire(dir);
    expect(JSON.parse(readFileSync(path.join(dir, 'host.lock'), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });
});

describe('browser mode, started twice on one data folder', () => {
  let first: BrowserMode | undefined;
  afterEach(async () => {
    await first?.close();
    first = undefined;
  });

  it('the second start is refused with the first one’s URL and touches nothing', async () => {
    const dir = fresh();
    first = await runBrowserMode({ dataDir: dir, port: 0, rendererDir: fixtureRenderer(), print: () => {} });
    const err = await runBrowserMode({
      dataDir: dir,
      port: 0,
      rendererDir: fixtureRenderer(),
      print: () => {},
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlreadyRunning);
    expect((err as AlreadyRunning).message).toBe(
      `already running (pid ${process.pid}): ${first.address.launchUrl}`,
    );
    await first.close();
    first = undefined;
    expect(() => readFileSync(path.join(dir, 'host.lock'))).toThrow();
  });
});
