import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/*
 * Finding the Electron binary the way the electron package's index.js does, without requiring
 * it: that require downloads on a miss and throws with a stack when offline.
 */

/** The installed electron package's folder, or null when it is not installed. */
export function electronPackageDir(fromUrl: string): string | null {
  try {
    return dirname(createRequire(fromUrl).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** Where the binary would be: ELECTRON_OVERRIDE_DIST_PATH, else the package's dist/ (path.txt). */
export function electronBinaryPath(packageDir: string, env: NodeJS.ProcessEnv): string | null {
  let executable: string | undefined;
  try {
    executable = readFileSync(join(packageDir, 'path.txt'), 'utf8');
  } catch {
    executable = undefined;
  }
  if (env.ELECTRON_OVERRIDE_DIST_PATH) return join(env.ELECTRON_OVERRIDE_DIST_PATH, executable || 'electron');
  return executable ? join(packageDir, 'dist', executable) : null;
}

export function presentElectronBinary(packageDir: string, env: NodeJS.ProcessEnv): string | null {
  const path = electronBinaryPath(packageDir, env);
  return path !== null && existsSync(path) ? path : null;
}

export type FetchResult = { ok: true } | { ok: false; reason: string };

/**
 * Runs the electron package's own install step (it downloads the binary for this platform) with
 * its output captured, killed as a process group after `timeoutMs`. The reason on failure is one
 * short phrase taken from its output (e.g. "fetch failed"), never its stack.
 */
export function fetchElectron(
  packageDir: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<FetchResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(packageDir, 'install.js')], {
      cwd: packageDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const collect = (chunk: Buffer): void => {
      if (output.length < 64 * 1024) output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: err.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut)
        resolve({ ok: false, reason: `its download did not finish within ${timeoutMs / 1000} s` });
      else if (code === 0) resolve({ ok: true });
      else
        resolve({
          ok: false,
          reason: `its download failed: ${failureReason(output) ?? `exit code ${code}`}`,
        });
    });
  });
}

/** "TypeError: fetch failed\n    at …" → "fetch failed"; else the last line that is not a stack frame. */
export function failureReason(output: string): string | null {
  const lines = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('at '));
  for (const line of lines) {
    const m = /^(?:[A-Z]\w*)?Error(?: \[[\w-]+\])?: (.+)$/.exec(line);
    if (m) return m[1]!.slice(0, 200);
  }
  const last = lines.at(-1);
  return last === undefined ? null : last.slice(0, 200);
}

/** Why this machine cannot show a window, when it plainly cannot (Linux without a display). */
export function missingDisplay(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | null {
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') return null;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return 'no display ($DISPLAY and $WAYLAND_DISPLAY are unset)';
}
