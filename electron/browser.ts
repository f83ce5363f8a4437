import { runBrowserMode } from './host/browserMode.js';

// `node dist/electron/browser.mjs`: the control center served to a browser, no Electron needed.
runBrowserMode({ exitOnSignal: true }).catch((err: unknown) => {
  process.stderr.write(`SMQ Control Center: cannot start: ${(err as Error).message}\n`);
  process.exit(1);
});
