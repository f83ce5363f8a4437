import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type {
  CommandArgs,
  CommandName,
  CommandResult,
  HostApi,
  HostEvent,
} from '../../../contract/hostContract.js';

/*
 * Just enough of the `electron` module for electron/main.ts, recording what main does with it.
 * Tests install it with vi.mock('electron', () => import('./helpers/fakeElectron.js').then(m => m.module)).
 * One instance per module load: vi.resetModules() gives the next test file a fresh one.
 */

export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function fakeEvent(): FakeEvent {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

/** Whether something accepts TCP connections on the URL's port, right now (synchronously). */
export function acceptsNow(url: string): boolean {
  const { port } = new URL(url);
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `require('net').connect(${Number(port)}, '127.0.0.1')` +
        ".on('connect', () => process.exit(0)).on('error', () => process.exit(1))",
    ],
    { timeout: 5000 },
  );
  return probe.status === 0;
}

class FakeApp extends EventEmitter {
  lockRequests = 0;
  lockGranted = true;
  quitCalls = 0;
  /** Set once a will-quit went through without being prevented. */
  quitDone = false;
  exitCode: number | null = null;
  sandboxEnabled = false;
  isPackaged = false;
  readonly paths = new Map<string, string>();
  private resolveReady!: () => void;
  private readonly ready = new Promise<void>((r) => (this.resolveReady = r));

  requestSingleInstanceLock(): boolean {
    this.lockRequests++;
    return this.lockGranted;
  }
  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  setPath(name: string, value: string): void {
    this.paths.set(name, value);
  }
  whenReady(): Promise<void> {
    return this.ready;
  }
  /** What the test calls where Electron would emit 'ready'. */
  becomeReady(): void {
    this.resolveReady();
  }
  quit(): void {
    this.quitCalls++;
    const event = fakeEvent();
    this.emit('will-quit', event);
    if (!event.defaultPrevented) this.quitDone = true;
  }
  exit(code: number): void {
    this.exitCode = code;
  }
}

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  url = '';
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  getURL(): string {
    return this.url;
  }
}

export interface LoadRecord {
  url: string;
  /** Whether the host accepted connections at the moment loadURL was called. */
  acceptingAtCall: boolean;
}

export class FakeBrowserWindow extends EventEmitter {
  static readonly instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loads: LoadRecord[] = [];
  maximized = false;
  constructor(readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> }) {
    super();
    FakeBrowserWindow.instances.push(this);
    app.emit('web-contents-created', fakeEvent(), this.webContents);
  }
  loadURL(url: string): Promise<void> {
    this.loads.push({ url, acceptingAtCall: acceptsNow(url) });
    this.webContents.url = url;
    return Promise.resolve();
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {}
  show(): void {}
  maximize(): void {
    this.maximized = true;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { x: 40, y: 30, width: 1003, height: 707 };
  }
}

type HeadersListener = (
  details: { url: string; resourceType: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
) => void;

class FakeSession {
  permissionRequestHandler:
    ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | null = null;
  permissionCheckHandler: ((...args: unknown[]) => boolean) | null = null;
  devicePermissionHandler: ((...args: unknown[]) => boolean) | null = null;
  headersListener: HeadersListener | null = null;
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener) => {
      this.headersListener = listener;
    },
  };
  setPermissionRequestHandler(h: FakeSession['permissionRequestHandler']): void {
    this.permissionRequestHandler = h;
  }
  setPermissionCheckHandler(h: FakeSession['permissionCheckHandler']): void {
    this.permissionCheckHandler = h;
  }
  setDevicePermissionHandler(h: FakeSession['devicePermissionHandler']): void {
    this.devicePermissionHandler = h;
  }
}

/** Displays as `screen.getAllDisplays()` reports them; tests may replace the list before ready. */
export const screen = {
  displays: [
    {
      id: 1,
      bounds: { x: 0, y: 0, width: 1920, height: 1080 },
      workArea: { x: 0, y: 0, width: 1920, height: 1040 },
    },
  ],
  getAllDisplays() {
    return this.displays;
  },
};

export const app = new FakeApp();
export const session = { defaultSession: new FakeSession() };
export const menu = { built: null as unknown, set: null as unknown };
export const dialogs: { title: string; content: string }[] = [];

/** The module `electron` resolves to in these tests. */
export const module = {
  app,
  BrowserWindow: FakeBrowserWindow,
  screen,
  session,
  Menu: {
    buildFromTemplate: (template: unknown) => (menu.built = { template }),
    setApplicationMenu: (m: unknown) => (menu.set = m),
  },
  dialog: { showErrorBox: (title: string, content: string) => dialogs.push({ title, content }) },
};

/** Stands in for the ControlHost (which starts real nodes): scripted origins, a close we can see. */
export class FakeControlHost implements HostApi {
  static readonly instances: FakeControlHost[] = [];
  closed = false;
  origins = ['http://127.0.0.1:45678'];
  constructor(readonly options: { dataDir: string }) {
    FakeControlHost.instances.push(this);
  }
  async call<K extends CommandName>(cmd: K, _args: CommandArgs<K>): Promise<CommandResult<K>> {
    throw Object.assign(new Error(`fake host: ${cmd}`), { code: 'NoCluster' });
  }
  subscribe(_listener: (event: HostEvent) => void): () => void {
    return () => undefined;
  }
  nodeOrigins(): string[] {
    return this.origins;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}
