// The few `electron` exports main.mjs imports; what main does with them is printed, one line each.
import { EventEmitter } from 'node:events';

const say = (line) => process.stdout.write(`${line}\n`);

class FakeApp extends EventEmitter {
  isPackaged = false;
  requestSingleInstanceLock() {
    say('lock');
    return true;
  }
  enableSandbox() {}
  setPath() {}
  whenReady() {
    return Promise.resolve();
  }
  quit() {
    const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
    this.emit('will-quit', event);
    if (!event.defaultPrevented) {
      say('quit');
      process.exit(0);
    }
  }
  exit(code) {
    process.exit(code);
  }
}
export const app = new FakeApp();

class FakeWebContents extends EventEmitter {
  setWindowOpenHandler() {}
  getURL() {
    return '';
  }
}

export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.webContents = new FakeWebContents();
    app.emit('web-contents-created', {}, this.webContents);
    say(`preload ${options.webPreferences.preload}`);
  }
  loadURL(url) {
    say(`loadURL ${url}`);
    return Promise.resolve();
  }
  maximize() {}
  isMaximized() {
    return false;
  }
}

export const screen = {
  getAllDisplays: () => [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler() {},
    setPermissionCheckHandler() {},
    setDevicePermissionHandler() {},
    webRequest: { onHeadersReceived() {} },
  },
};
export const Menu = { buildFromTemplate: (template) => template, setApplicationMenu() {} };
export const dialog = { showErrorBox: (title, content) => say(`error ${title}: ${content}`) };
