import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectionFromArgv } from '../../electron/connection-args.js';
import { waitFor } from '../helpers/waitFor.js';
import {
  app,
  FakeBrowserWindow,
  FakeControlHost,
  fakeEvent,
  menu,
  session,
  type FakeWebContents,
} from './helpers/fakeElectron.js';
import { login } from './helpers/host.js';

/*
 * electron/main.ts loaded for real, with `electron` replaced by a recording fake (vi.mock: Vitest
 * resolves the bare specifier to the installed package and never runs its index.js, which would try
 * to download the binary) and the ControlHost by a stub (it would start nodes). The HostServer,
 * the security setup and the window options are main's own.
 */
vi.mock('electron', async () => (await import('./helpers/fakeElectron.js')).module);
vi.mock('../../electron/host/control/ControlHost.js', async () => ({
  ControlHost: (await import('./helpers/fakeElectron.js')).FakeControlHost,
}));
vi.mock('../../electron/app-paths.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../electron/app-paths.js')>();
  const renderer = (await import('./helpers/host.js')).fixtureRenderer();
  return { ...real, appPaths: () => ({ ...real.appPaths(), renderer }) };
});

const dataDir = mkdtempSync(join(tmpdir(), 'smq-cc-main-'));
let win: FakeBrowserWindow;
/** The port of "the last launch": one the OS gave a listener that is closed again. */
let lastPort = 0;
let contents: FakeWebContents;

beforeAll(async () => {
  process.env.SMQ_CC_DATA_DIR = dataDir;
  const previous = createServer();
  await new Promise<void>((r) => previous.listen(0, '127.0.0.1', r));
  lastPort = (previous.address() as AddressInfo).port;
  await new Promise((r) => previous.close(r));
  writeFileSync(join(dataDir, 'host-port.json'), JSON.stringify({ port: lastPort }));
  // Saved on a monitor that is gone (the fake screen has one 1920×1040 work area at 0,0).
  writeFileSync(
    join(dataDir, 'window.json'),
    JSON.stringify({ width: 1111, height: 777, x: 2500, y: 300, maximized: true }),
  );
  await import('../../electron/main.js');
  app.becomeReady();
  await waitFor(() => FakeBrowserWindow.instances[0]?.loads.length, { what: 'loadURL' });
  win = FakeBrowserWindow.instances[0]!;
  contents = win.webContents;
});

afterAll(async () => {
  delete process.env.SMQ_CC_DATA_DIR;
  if (!app.quitDone) {
    app.quit();
    await waitFor(() => app.quitDone, { what: 'quit' });
  }
});

describe('electron/main', () => {
  it('takes the single-instance lock, keeps Chromium data in the app data folder, enables the sandbox', () => {
    expect(app.lockRequests).toBe(1);
    expect(app.paths.get('userData')).toBe(join(dataDir, 'chromium'));
    expect(app.sandboxEnabled).toBe(true);
    expect(app.listenerCount('second-instance')).toBe(1);
  });

  it('opens one window with isolation, sandbox, no Node and no <webview>, and the bundled preload', () => {
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    const prefs = win.options.webPreferences!;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
    expect(prefs.preload).toBe(resolve('dist/electron/preload.cjs'));
    expect(existsSync(prefs.preload as string), 'run the build first').toBe(true);
  });

  it("passes the window the host's connection details, and only those, as one argument", () => {
    const args = win.options.webPreferences!.additionalArguments as string[];
    expect(args).toHaveLength(1);
    const origin = new URL(win.loads[0]!.url).origin;
    expect(connectionFromArgv(args)).toEqual({ hostUrl: origin, wsPath: '/host' });
  });

  it('reopens with the saved size and maximized state; a place off every display is dropped', () => {
    expect(win.options).toMatchObject({ width: 1111, height: 777 });
    expect(win.options).not.toHaveProperty('x');
    expect(win.options).not.toHaveProperty('y');
    expect(win.maximized).toBe(true);
  });

  it('remembers size, place (the normal bounds) and maximized state in the data folder', () => {
    win.emit('close', fakeEvent());
    expect(JSON.parse(readFileSync(join(dataDir, 'window.json'), 'utf8'))).toEqual({
      x: 40,
      y: 30,
      width: 1003,
      height: 707,
      maximized: true,
    });
  });

  it('listens on the port of the last launch (same origin, so the page keeps its layout) and remembers it', () => {
    expect(Number(new URL(win.loads[0]!.url).port)).toBe(lastPort);
    expect(JSON.parse(readFileSync(join(dataDir, 'host-port.json'), 'utf8'))).toEqual({ port: lastPort });
  });

  it('loads the token URL only after the host listens, and that URL opens the page', async () => {
    expect(win.loads).toHaveLength(1);
    const load = win.loads[0]!;
    expect(load.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
    expect(load.acceptingAtCall).toBe(true);
    const res = await login(load.url);
    expect(res.status).toBe(303);
    const page = await fetch(new URL(load.url).origin, { headers: { Cookie: res.cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain('ws://127.0.0.1:45678');
  });

  it('sets the same CSP on every document response in the session, replacing any other', async () => {
    const listener = session.defaultSession.headersListener!;
    expect(listener).not.toBeNull();
    const origin = new URL(win.loads[0]!.url).origin;
    let headers: Record<string, string[]> | undefined;
    listener(
      {
        url: `${origin}/`,
        resourceType: 'mainFrame',
        responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] },
      },
      (r) => (headers = r.responseHeaders),
    );
    expect(headers!['content-security-policy']).toBeUndefined();
    expect(headers!['X-Other']).toEqual(['1']);
    const [csp] = headers!['Content-Security-Policy']!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(
      `connect-src 'self' ${origin} ws://127.0.0.1:${new URL(origin).port} http://127.0.0.1:45678 ws://127.0.0.1:45678`,
    );
    const served = await fetch(origin, { headers: { Cookie: (await login(win.loads[0]!.url)).cookie } });
    expect(served.headers.get('content-security-policy')).toBe(csp);
  });

  it('denies every permission request and check', () => {
    const granted: boolean[] = [];
    session.defaultSession.permissionRequestHandler!(contents, 'media', (g) => granted.push(g));
    session.defaultSession.permissionRequestHandler!(contents, 'notifications', (g) => granted.push(g));
    expect(granted).toEqual([false, false]);
    expect(session.defaultSession.permissionCheckHandler!(contents, 'clipboard-read')).toBe(false);
    expect(session.defaultSession.devicePermissionHandler!({})).toBe(false);
  });

  it('denies new windows, navigation away from the page, foreign redirects and <webview>', () => {
    expect(contents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    const origin = new URL(win.loads[0]!.url).origin;
    contents.url = `${origin}/`;
    const navigate = (url: string): boolean => {
      const event = fakeEvent();
      contents.emit('will-navigate', event, url);
      return event.defaultPrevented;
    };
    expect(navigate('https://example.com/')).toBe(true);
    expect(navigate('http://127.0.0.1:45678/')).toBe(true);
    expect(navigate(`${origin}/elsewhere`)).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate(`${origin}/`)).toBe(false);
    const redirect = (url: string): boolean => {
      const event = fakeEvent();
      contents.emit('will-redirect', event, url);
      return event.defaultPrevented;
    };
    expect(redirect('https://example.com/')).toBe(true);
    expect(redirect(`${origin}/`)).toBe(false);
    const webview = fakeEvent();
    contents.emit('will-attach-webview', webview, {}, {});
    expect(webview.defaultPrevented).toBe(true);
  });

  it('sets a small app menu without links', () => {
    expect(menu.set).toBe(menu.built);
    const text = JSON.stringify(menu.built);
    expect(text).toContain('"role":"quit"');
    expect(text).not.toMatch(/https?:/);
  });

  it('on quit, closes the host (which stops its nodes) before the app exits', async () => {
    const host = FakeControlHost.instances[0]!;
    const url = win.loads[0]!.url;
    app.quit();
    expect(app.quitDone).toBe(false); // held until the host closed
    await waitFor(() => app.quitDone, { what: 'the app to quit after closing the host' });
    expect(host.closed).toBe(true);
    await expect(fetch(url, { redirect: 'manual' })).rejects.toThrow();
  });
});
