import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
  isHtml: boolean;
  /** Vite's content-hashed files under assets/ never change; everything else is revalidated. */
  immutable: boolean;
}

export type Lookup = { kind: 'file'; file: StaticFile } | { kind: 'missing' } | { kind: 'bad-path' };

/**
 * Files of the built renderer, read from `root` on each request (the folder is small and the
 * host serves one window; reading per request keeps a rebuilt renderer visible on reload).
 * Paths with a `..` segment, NUL or backslashes are refused (and the resolved file must still be
 * inside the folder); a path without
 * an extension is the single-page app itself (index.html).
 */
export async function lookupStatic(root: string, pathname: string): Promise<Lookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { kind: 'bad-path' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'bad-path' };
  if (decoded.split('/').includes('..')) return { kind: 'bad-path' };
  const base = resolve(root);
  let relative = decoded.replace(/^\/+/, '');
  if (relative === '' || (extname(relative) === '' && !relative.endsWith('/'))) relative = 'index.html';
  else if (relative.endsWith('/')) relative += 'index.html';
  const full = resolve(join(base, relative));
  if (full !== base && !full.startsWith(base + sep)) return { kind: 'bad-path' };
  try {
    if (!(await stat(full)).isFile()) return { kind: 'missing' };
    const body = await readFile(full);
    const ext = extname(full).toLowerCase();
    return {
      kind: 'file',
      file: {
        body,
        contentType: TYPES[ext] ?? 'application/octet-stream',
        isHtml: ext === '.html',
        immutable: relative.startsWith('assets/'),
      },
    };
  } catch {
    return { kind: 'missing' };
  }
}
