import { spawn } from 'node:child_process';
import { appPaths } from './app-paths.js';
import { dataDir, rememberHostPort, stableHostPort } from './data-dir.js';
import {
  electronPackageDir,
  fetchElectron,
  missingDisplay,
  presentElectronBinary,
} from './electron-binary.js';
import { runBrowserMode } from './host/browserMode.js';

/*
 * `npm start`: the desktop app when an Electron binary is here (or can be fetched within 15 s),
 * else one line on stderr saying why and the same control center served to a browser, its URL on
 * stdout. Nothing is built here: the build belongs to install (`prepare`).
 */

/** The install step's limit; SMQ_CC_FETCH_TIMEOUT_MS shortens it (tests). */
const FETCH_TIMEOUT_MS = Number(process.env.SMQ_CC_FETCH_TIMEOUT_MS) || 15_000;

type Decision = { kind: 'electron'; binary: string } | { kind: 'browser'; reason: string };

async function decide(env: NodeJS.ProcessEnv): Promise<Decision> {
  const packageDir = electronPackageDir(import.meta.url);
  if (packageDir === null) return { kind: 'browser', reason: 'the electron package is not installed' };
  let binary = presentElectronBinary(packageDir, env);
  if (binary === null) {
    const fetched = await fetchElectron(packageDir, env, FETCH_TIMEOUT_MS);
    if (!fetched.ok) return { kind: 'browser', reason: fetched.reason };
    binary = presentElectronBinary(packageDir, env);
    if (binary === null) return { kind: 'browser', reason: 'its install step left no binary' };
  }
  const noDisplay = missingDisplay(env, process.platform);
  if (noDisplay !== null) return { kind: 'browser', reason: noDisplay };
  return { kind: 'electron', binary };
}

async function browserMode(reason: string): Promise<void> {
  process.stderr.write(
    `SMQ Control Center: no Electron window (${reason}); serving the control center to a browser instead.\n`,
  );
  // On the port of the last launch when it is free, so the page's origin (and its layout) stays.
  const dir = dataDir();
  const mode = await runBrowserMode({ exitOnSignal: true, dataDir: dir, port: await stableHostPort(dir) });
  rememberHostPort(dir, mode.address.port);
}

function launch(binary: string): void {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // else the binary would run main.mjs as a plain Node script
  const child = spawn(binary, [appPaths().main, ...process.argv.slice(2)], { stdio: 'inherit', env });
  let started = false;
  child.once('spawn', () => (started = true));
  child.once('error', (err) => {
    if (started) return;
    browserMode(`cannot run ${binary}: ${err.message}`).catch(fail);
  });
  child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      if (started && child.exitCode === null) child.kill(sig);
    });
  }
}

function fail(err: unknown): void {
  process.stderr.write(`SMQ Control Center: cannot start: ${(err as Error).message}\n`);
  process.exit(1);
}

decide(process.env)
  .then((decision) => {
    if (decision.kind === 'electron') launch(decision.binary);
    else return browserMode(decision.reason);
  }, fail)
  .catch(fail);
