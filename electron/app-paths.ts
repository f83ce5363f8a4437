import { existsSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the built app's parts are, from the folder of the running module: in the bundle that is
 * `<app>/dist/electron` (also inside app.asar), in the sources (tests) `<repo>/electron`, whose
 * built parts are in `<repo>/dist`.
 */
export interface AppPaths {
  dist: string;
  /** Bundled Electron main (ESM). */
  main: string;
  /** Bundled preload: one CommonJS file that requires only `electron`. */
  preload: string;
  /** The Vite-built renderer the host serves. */
  renderer: string;
  /** The `smq-node` runner, outside app.asar when packaged (a child process runs it). */
  smqNode: string;
}

export function appPaths(moduleUrl: string = import.meta.url): AppPaths {
  const here = dirname(fileURLToPath(moduleUrl));
  const parent = dirname(here);
  const dist = basename(here) === 'electron' && basename(parent) === 'dist' ? parent : join(parent, 'dist');
  return {
    dist,
    main: join(dist, 'electron', 'main.mjs'),
    preload: join(dist, 'electron', 'preload.cjs'),
    renderer: join(dist, 'renderer'),
    smqNode: unpacked(join(dist, 'broker', 'smq-node.mjs')),
  };
}

/**
 * Files listed in electron-builder's `asarUnpack` live next to app.asar, in app.asar.unpacked: a
 * child process (`process.execPath` with ELECTRON_RUN_AS_NODE=1) runs them from there.
 */
export function unpacked(path: string): string {
  const marker = `${sep}app.asar${sep}`;
  const i = path.indexOf(marker);
  if (i < 0) return path;
  const candidate = `${path.slice(0, i)}${sep}app.asar.unpacked${sep}${path.slice(i + marker.length)}`;
  return existsSync(candidate) ? candidate : path;
}
