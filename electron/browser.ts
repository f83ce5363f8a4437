import { dataDir, rememberHostPort, stableHostPort } from './data-dir.js';
import { runBrowserMode } from './host/browserMode.js';

// `node dist/electron/browser.mjs`: the control center served to a browser, no Electron needed.
// On the port of the last launch when it is free, so the page's origin (and its layout) stays.
const dir = dataDir();
stableHostPort(dir)
  .then((port) => runBrowserMode({ exitOnSignal: true, dataDir: dir, port }))
  .then((mode) => rememberHostPort(dir, mode.address.port))
  .catch((err: unknown) => {
    process.stderr.write(`SMQ Control Center: cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  });
