import { mkdirSync } from 'node:fs';
import { appPaths } from '../app-paths.js';
import { dataDir as defaultDataDir, hostPort } from '../data-dir.js';
import { ControlHost } from './control/ControlHost.js';
import { HostServer, type HostAddress } from './HostServer.js';
import { HostMetrics } from './HostMetrics.js';
import { InstanceLock } from './instanceLock.js';

export interface BrowserModeOptions {
  /** Default: the app's data folder (SMQ_CC_DATA_DIR, else the per-user config folder). */
  dataDir?: string;
  /** Default: SMQ_CC_PORT, else 0 (a free port). */
  port?: number;
  rendererDir?: string;
  /** Where the one URL line goes. Default: stdout. */
  print?: (line: string) => void;
  /** Where host warnings go. Default: stderr. */
  warn?: (line: string) => void;
  /** Close on SIGINT/SIGTERM and exit (the entry points do; tests do not). */
  exitOnSignal?: boolean;
}

export interface BrowserMode {
  address: HostAddress;
  host: ControlHost;
  server: HostServer;
  /** Stops serving, then the host (which stops its nodes). */
  close(): Promise<void>;
}

/**
 * The control center without Electron: the same host and page, served to any browser. Prints
 * exactly one line, `SMQ Control Center: http://127.0.0.1:PORT/?token=…`.
 */
export async function runBrowserMode(options: BrowserModeOptions = {}): Promise<BrowserMode> {
  const dir = options.dataDir ?? defaultDataDir();
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  mkdirSync(dir, { recursive: true });
  const lock = InstanceLock.acquire(dir);
  const host = new ControlHost({ dataDir: dir });
  const metrics = new HostMetrics();
  const server = new HostServer({
    connect: (o) => host.connect(o),
    recordingsDir: host.recordingsDir,
    metrics,
    rendererDir: options.rendererDir ?? appPaths().renderer,
    nodeOrigins: () => host.nodeOrigins(),
    port: options.port ?? hostPort(),
    log: (message) => warn(`SMQ Control Center: ${message}`),
  });
  let address: HostAddress;
  try {
    address = await server.listen();
  } catch (err) {
    await host.close();
    metrics.close();
    lock.release();
    throw err;
  }
  lock.listening(address.launchUrl);
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await server.close();
      await host.close();
      metrics.close();
      lock.release();
    })());
  if (options.exitOnSignal) {
    const onSignal = (): void => {
      if (closing) process.exit(1); // a second Ctrl-C: do not wait any longer
      close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  print(`SMQ Control Center: ${address.launchUrl}`);
  return { address, host, server, close };
}
