import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import { app, FakeBrowserWindow, FakeControlHost } from './helpers/fakeElectron.js';

vi.mock('electron', async () => (await import('./helpers/fakeElectron.js')).module);
vi.mock('../../electron/host/control/ControlHost.js', async () => ({
  ControlHost: (await import('./helpers/fakeElectron.js')).FakeControlHost,
}));

it('quits at once, without a window or a host, when another instance holds the lock', async () => {
  process.env.SMQ_CC_DATA_DIR = mkdtempSync(join(tmpdir(), 'smq-cc-second-'));
  app.lockGranted = false;
  try {
    await import('../../electron/main.js');
    app.becomeReady();
    await app.whenReady();
    await new Promise((r) => setImmediate(r));
    expect(app.lockRequests).toBe(1);
    expect(app.quitCalls).toBe(1);
    expect(app.quitDone).toBe(true);
    expect(FakeBrowserWindow.instances).toHaveLength(0);
    expect(FakeControlHost.instances).toHaveLength(0);
  } finally {
    delete process.env.SMQ_CC_DATA_DIR;
  }
});
