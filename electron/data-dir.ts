import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'smq-control-center';

/**
 * The app's data folder (cluster profiles, window size): `SMQ_CC_DATA_DIR` when set (tests),
 * else the platform's per-user config folder, the same one Electron's `userData` would be for
 * this app name, so the desktop window and browser mode share profiles.
 */
export function dataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.SMQ_CC_DATA_DIR) return env.SMQ_CC_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_NAME);
}

/** `SMQ_CC_PORT` pins the host's port (e.g. for an SSH tunnel); default 0, a free port. */
export function hostPort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SMQ_CC_PORT;
  if (raw === undefined || raw === '') return 0;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`SMQ_CC_PORT must be a port number 0..65535, not ${JSON.stringify(raw)}`);
  }
  return port;
}

const PORT_FILE = 'host-port.json';

/** The port the host listened on at the last launch, if one was remembered. */
export function lastHostPort(dir: string): number | null {
  try {
    const { port } = JSON.parse(readFileSync(join(dir, PORT_FILE), 'utf8')) as { port?: unknown };
    return typeof port === 'number' && Number.isInteger(port) && port > 0 && port <= 65535 ? port : null;
  } catch {
    return null;
  }
}

/**
 * Remembers the port the host got, for the next launch (written whole, then renamed). Best effort:
 * false when the data folder cannot be written (the next launch then takes any free port).
 */
export function rememberHostPort(dir: string, port: number): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `${PORT_FILE}.tmp`);
    writeFileSync(tmp, `${JSON.stringify({ port })}\n`);
    renameSync(tmp, join(dir, PORT_FILE));
    return true;
  } catch {
    return false;
  }
}

/** Whether 127.0.0.1:port can be bound right now. */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/**
 * The port for the host to listen on. The page's origin is http://127.0.0.1:PORT and its layout
 * lives in that origin's localStorage, so a stable port keeps the layout across launches:
 * SMQ_CC_PORT when set; else the last launch's port, when it is free; else 0 (any free port, which
 * is then remembered). Between this check and the bind another program could take the port: the
 * host then fails to start with EADDRINUSE, and the next launch falls back to a free port.
 */
export async function stableHostPort(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (env.SMQ_CC_PORT !== undefined && env.SMQ_CC_PORT !== '') return hostPort(env);
  const last = lastHostPort(dir);
  return last !== null && (await canBind(last)) ? last : 0;
}
