import { join } from 'node:path';
import { app, BrowserWindow, dialog, Menu, screen, session } from 'electron';
import { appPaths } from './app-paths.js';
import { connectionArgument } from './connection-args.js';
import { dataDir, rememberHostPort, stableHostPort } from './data-dir.js';
import { ControlHost } from './host/control/ControlHost.js';
import { HostMetrics } from './host/HostMetrics.js';
import { InstanceLock } from './host/instanceLock.js';
import { HostServer } from './host/HostServer.js';
import { menuTemplate } from './menu.js';
import { hardenSession, hardenWebContents } from './security.js';
import { fitToDisplays, loadWindowState, saveWindowState } from './window-state.js';

/*
 * The Electron main process, kept thin: one window on the same http://127.0.0.1 page and
 * authenticated WebSocket that browser mode serves. The host (HostServer + ControlHost) is plain
 * Node; the nodes themselves run in child processes the ControlHost supervises.
 */

const paths = appPaths();
const data = dataDir();
/** Hosts may take this long to stop their nodes on quit before the app exits anyway. */
const CLOSE_TIMEOUT_MS = 5000;

interface Running {
  host: ControlHost;
  server: HostServer;
  lock: InstanceLock;
}

let running: Running | null = null;
let window: BrowserWindow | null = null;
let quitState: 'running' | 'closing' | 'closed' = 'running';

// Chromium's own files (and the single-instance lock) in a subfolder of the app's data folder.
app.setPath('userData', join(data, 'chromium'));
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents, () => running?.server.address.origin ?? null),
  );
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (quitState === 'closed' || running === null) return;
    event.preventDefault();
    if (quitState === 'closing') return;
    quitState = 'closing';
    void shutdown(running).finally(() => {
      quitState = 'closed';
      app.quit();
    });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
  app.whenReady().then(start, fatal).catch(fatal);
}

async function start(): Promise<void> {
  // Browser mode may hold this data folder: its nodes, ports and profile are not ours to take.
  const lock = InstanceLock.acquire(data);
  const host = new ControlHost({ dataDir: data });
  const server = new HostServer({
    connect: (o) => host.connect(o),
    recordingsDir: host.recordingsDir,
    metrics: new HostMetrics(),
    rendererDir: paths.renderer,
    nodeOrigins: () => host.nodeOrigins(),
    port: await stableHostPort(data),
    log: (message) => process.stderr.write(`SMQ Control Center: ${message}\n`),
  });
  running = { host, server, lock };
  const address = await server.listen();
  lock.listening(address.launchUrl);
  rememberHostPort(data, address.port);
  hardenSession(session.defaultSession, () => server.csp());
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(process.platform, app.isPackaged)));
  window = createWindow(server);
  // Only now that the host listens: the window's first request finds it.
  window.loadURL(address.launchUrl).catch((err: unknown) => {
    process.stderr.write(`SMQ Control Center: the window did not load: ${(err as Error).message}\n`);
  });
}

function createWindow(server: HostServer): BrowserWindow {
  // A place saved on a display that is gone is dropped: the window must open where it can be seen.
  const state = fitToDisplays(
    loadWindowState(data),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: 'SMQ Control Center',
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      preload: paths.preload,
      additionalArguments: [connectionArgument(server.connectionDetails())],
    },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    try {
      saveWindowState(data, { ...win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (err) {
      process.stderr.write(`SMQ Control Center: window state not saved: ${(err as Error).message}\n`);
    }
  });
  win.on('closed', () => {
    if (window === win) window = null;
  });
  return win;
}

async function shutdown({ host, server, lock }: Running): Promise<void> {
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref());
  const close = (async () => {
    await server.close();
    await host.close();
    lock.release();
  })();
  await Promise.race([close.catch(() => undefined), timeout]);
}

function fatal(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`SMQ Control Center: cannot start: ${message}\n`);
  dialog.showErrorBox('SMQ Control Center cannot start', message);
  app.exit(1);
}
