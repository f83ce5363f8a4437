#!/usr/bin/env node
// Bundles the desktop app's Node side into dist/ with esbuild, self-contained for packaging (no
// node_modules in the app): Electron main, preload, `npm start`, browser mode and the smq-node
// runner the host spawns. The renderer is Vite's (dist/renderer); this script leaves it alone.
//   node scripts/build-app.mjs
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

// ESM bundles of CommonJS packages (ws, commander) call require() for Node built-ins.
const esmRequire =
  "import { createRequire as __smqCreateRequire } from 'node:module';\n" +
  'const require = __smqCreateRequire(import.meta.url);';

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  // Electron 45 runs Node 22; `npm start` and browser mode run on Node ≥ 20.19.
  target: 'node20.19',
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
  // ws requires these optional native add-ons inside try/catch; without them it uses plain JS.
  external: ['bufferutil', 'utf-8-validate'],
};

/** Output files, relative to the repo root; tests and the packaging configs name the same. */
export const OUTPUTS = {
  main: 'dist/electron/main.mjs',
  preload: 'dist/electron/preload.cjs',
  start: 'dist/electron/start.mjs',
  browser: 'dist/electron/browser.mjs',
  smqNode: 'dist/broker/smq-node.mjs',
};

export async function buildApp() {
  rmSync(join(dist, 'electron'), { recursive: true, force: true });
  rmSync(join(dist, 'broker'), { recursive: true, force: true });
  const esm = { ...common, format: 'esm', banner: { js: esmRequire } };
  await Promise.all([
    build({
      ...esm,
      entryPoints: ['electron/main.ts'],
      outfile: OUTPUTS.main,
      external: [...common.external, 'electron'],
    }),
    build({ ...esm, entryPoints: ['electron/start.ts'], outfile: OUTPUTS.start }),
    build({ ...esm, entryPoints: ['electron/browser.ts'], outfile: OUTPUTS.browser }),
    // A sandboxed preload may require only `electron` (and a few built-ins): one CommonJS file.
    build({
      ...common,
      entryPoints: ['electron/preload.ts'],
      outfile: OUTPUTS.preload,
      format: 'cjs',
      target: 'es2022',
      external: ['electron'],
    }),
    build({
      ...esm,
      stdin: {
        contents: "import { main } from './broker/src/cli/smq-node.ts';\nvoid main(process.argv);\n",
        resolveDir: root,
        sourcefile: 'smq-node-entry.ts',
        loader: 'ts',
      },
      outfile: OUTPUTS.smqNode,
    }),
  ]);
  // The LED page each node serves at `/` (built by broker/scripts/build-page.mjs): it looks in
  // page/ next to the bundled smq-node.
  const page = join(root, 'broker', 'dist', 'page');
  if (!existsSync(join(page, 'index.html')))
    throw new Error('LED page not built: run broker/scripts/build-page.mjs first');
  mkdirSync(join(dist, 'broker', 'page'), { recursive: true });
  for (const file of ['index.html', 'led-page.js', 'led-page.css', 'favicon.svg'])
    cpSync(join(page, file), join(dist, 'broker', 'page', file));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildApp().catch((err) => {
    process.stderr.write(`build-app: ${err.message}\n`);
    process.exit(1);
  });
}
