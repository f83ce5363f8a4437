import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/**
 * The control center's page. The host serves dist/renderer from an http://127.0.0.1 origin under
 * a strict CSP (no inline script, no eval, no remote content): relative asset URLs, hashed files,
 * nothing inlined as data: URLs.
 */
export default defineConfig({
  root: here('.'),
  base: './',
  plugins: [react()],
  build: {
    outDir: here('../dist/renderer'),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1000,
  },
  server: { host: '127.0.0.1' },
});
