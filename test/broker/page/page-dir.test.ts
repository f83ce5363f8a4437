import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultPageDir, PAGE_FILES } from '../../../broker/src/page/LedPage.js';
import { pageWsOrigin } from '../../../broker/src/page/pageOrigin.js';

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** A file tree under a fresh temp dir: paths ending in '/' are directories. */
function tree(paths: string[]): string {
  root = mkdtempSync(path.join(tmpdir(), 'page-dir-'));
  for (const p of paths) {
    const full = path.join(root, p);
    if (p.endsWith('/')) mkdirSync(full, { recursive: true });
    else {
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, '');
    }
  }
  return root;
}

/** The files of a built page in `dir`. */
const built = (dir: string): string[] => PAGE_FILES.map((f) => dir + f);

const moduleUrl = (file: string): string => pathToFileURL(file).href;

describe('where a node looks for the built page', () => {
  it('next to the tsc output (broker/dist/page/LedPage.js)', () => {
    const r = tree(built('broker/dist/page/'));
    expect(defaultPageDir(moduleUrl(path.join(r, 'broker/dist/page/LedPage.js')))).toBe(
      path.join(r, 'broker/dist/page'),
    );
  });

  it('in page/ next to one bundled file (dist/broker/smq-node.mjs)', () => {
    const r = tree(built('dist/broker/page/'));
    expect(defaultPageDir(moduleUrl(path.join(r, 'dist/broker/smq-node.mjs')))).toBe(
      path.join(r, 'dist/broker/page'),
    );
  });

  it('in broker/dist/page when running from the sources (tests), which hold index.html unbuilt', () => {
    const r = tree([
      'broker/src/page/index.html',
      'broker/src/page/led-page.css',
      ...built('broker/dist/page/'),
    ]);
    expect(defaultPageDir(moduleUrl(path.join(r, 'broker/src/page/LedPage.ts')))).toBe(
      path.join(r, 'broker/dist/page'),
    );
  });

  it('next to the module when nothing was built (the node then serves its status page)', () => {
    const r = tree(['broker/src/page/index.html', 'broker/dist/page/index.html']);
    expect(defaultPageDir(moduleUrl(path.join(r, 'broker/src/page/LedPage.ts')))).toBe(
      path.join(r, 'broker/src/page'),
    );
  });

  it('names a directory that does not exist without a file: module URL (a CommonJS bundle)', () => {
    expect(defaultPageDir('')).toMatch(/led-page-not-found$/);
    expect(defaultPageDir('data:text/javascript,')).toMatch(/led-page-not-found$/);
  });
});

describe('the WebSocket origin in the page CSP', () => {
  it('follows the Host header for the bound address and port, with or without a port', () => {
    expect(pageWsOrigin('192.168.1.5:8080', '192.168.1.5', 8080)).toBe('ws://192.168.1.5:8080');
    expect(pageWsOrigin('192.168.1.5', '192.168.1.5', 80)).toBe('ws://192.168.1.5:80');
    expect(pageWsOrigin('LOCALHOST:8080', '127.0.0.1', 8080)).toBe('ws://localhost:8080');
  });

  it('falls back to the bound address for any other Host, or none', () => {
    expect(pageWsOrigin('localhost:8080', '192.168.1.5', 8080)).toBe('ws://192.168.1.5:8080');
    expect(pageWsOrigin(undefined, '::1', 8080)).toBe('ws://[::1]:8080');
    expect(pageWsOrigin('a b:8080', '127.0.0.1', 8080)).toBe('ws://127.0.0.1:8080');
    expect(pageWsOrigin('x.example:8080', '0.0.0.0', 8080)).toBe('ws://127.0.0.1:8080');
  });

  it('accepts any interface address when bound to all interfaces', () => {
    const addrs = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i !== undefined && i.family === 'IPv4')
      .map((i) => i!.address);
    expect(addrs.length).toBeGreaterThan(0);
    for (const a of addrs) expect(pageWsOrigin(`${a}:9000`, '0.0.0.0', 9000)).toBe(`ws://${a}:9000`);
  });
});
