// Bundles the LED page (broker/src/page) into broker/dist/page: index.html, led-page.js (one IIFE
// with the SMQ client and the display model), led-page.css and favicon.svg. Runs after tsc (`npm run build`).
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const broker = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(broker, 'src', 'page');
// `--out DIR` builds elsewhere (the e2e test builds the current sources into a temp dir).
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? path.resolve(process.argv[outArg + 1]) : path.join(broker, 'dist', 'page');

await mkdir(out, { recursive: true });
const common = { bundle: true, minify: true, legalComments: 'none', logLevel: 'warning' };
await Promise.all([
  build({
    ...common,
    entryPoints: [path.join(src, 'browser', 'main.ts')],
    outfile: path.join(out, 'led-page.js'),
    format: 'iife',
    platform: 'browser',
    target: ['chrome100', 'firefox100', 'safari15'],
  }),
  build({
    ...common,
    entryPoints: [path.join(src, 'led-page.css')],
    outfile: path.join(out, 'led-page.css'),
    // color-mix() needs these; older browsers fall back to the plain colours.
    target: ['chrome111', 'firefox113', 'safari16.2'],
  }),
  ...['index.html', 'favicon.svg'].map((f) => copyFile(path.join(src, f), path.join(out, f))),
]);
