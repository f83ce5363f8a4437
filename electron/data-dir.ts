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
