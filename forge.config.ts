import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ForgeConfig } from '@electron-forge/shared-types';

/*
 * Electron Forge packages the same dist/ that `npm run build` produces (esbuild + Vite), with no
 * bundler plugin of its own: `npx electron-forge package`. Installers are electron-builder's
 * (electron-builder.yml); no Forge makers are installed. Packaging downloads Electron, so it needs
 * network access, or SMQ_CC_ELECTRON_ZIP_DIR: a folder holding electron-v<version>-<platform>-<arch>.zip.
 */

/** The Electron main the build writes; electron-builder.yml's extraMetadata.main names the same. */
export const MAIN = 'dist/electron/main.mjs';

/** What goes into the app: package.json and the built dist/, without source maps or the dev launcher. */
export function ignore(path: string): boolean {
  if (path === '' || path === '/package.json' || path === '/dist') return false;
  if (!path.startsWith('/dist/')) return true;
  return path.endsWith('.map') || path === '/dist/electron/start.mjs';
}

const DEV_ONLY = new Set(['scripts', 'devDependencies', 'workspaces', 'overrides']);

/** The root package.json names no main (npm start is a launcher): the app's copy does. */
async function withMain(buildPath: string): Promise<void> {
  const file = join(buildPath, 'package.json');
  const pkg = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  const kept = Object.fromEntries(Object.entries(pkg).filter(([key]) => !DEV_ONLY.has(key)));
  await writeFile(file, `${JSON.stringify({ ...kept, main: MAIN }, null, 2)}\n`);
}

const config: ForgeConfig = {
  outDir: 'release/forge',
  packagerConfig: {
    name: 'SMQ Control Center',
    executableName: 'smq-control-center',
    appBundleId: 'io.github.smq-cc.control-center',
    // The host runs smq-node in child processes: from a real file next to app.asar.
    asar: { unpackDir: 'dist/broker' },
    ignore,
    prune: false,
    ...(process.env.SMQ_CC_ELECTRON_ZIP_DIR ? { electronZipDir: process.env.SMQ_CC_ELECTRON_ZIP_DIR } : {}),
  },
  rebuildConfig: {},
  makers: [],
  hooks: {
    readPackageJson: async (_config, packageJson) => ({ ...packageJson, main: MAIN }),
    packageAfterCopy: async (_config, buildPath) => withMain(buildPath),
  },
};

export default config;
