import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderStatusPage } from '../node/StatusPage.js';
import type { SmqNode } from '../node/SmqNode.js';
import { pageWsOrigin } from './pageOrigin.js';

/** The files `broker/scripts/build-page.mjs` writes into the page directory. */
export const PAGE_FILES = ['index.html', 'led-page.js', 'led-page.css', 'favicon.svg'] as const;

/** URL path → file and content type of the page's static assets. */
const ASSETS: Record<string, { file: (typeof PAGE_FILES)[number]; type: string }> = {
  '/page/led-page.js': { file: 'led-page.js', type: 'text/javascript; charset=utf-8' },
  '/page/led-page.css': { file: 'led-page.css', type: 'text/css; charset=utf-8' },
  '/page/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

/** Headers on every response of the page (and of its fallback). */
const COMMON = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** The part of NodeServer the page needs: where the node listens, its SMQ path, whether TLS is on. */
export interface PageHost {
  readonly smqPath: string;
  readonly secure: boolean;
  address(): AddressInfo;
}

/**
 * Where the built page is looked for when NodeServer gets no `pageDir`: next to this module
 * (tsc output, `broker/dist/page/LedPage.js`), in `page/` next to it (one bundled file such as
 * `dist/broker/smq-node.mjs`), or in `broker/dist/page` when running from `broker/src` (tests).
 * A bundle without `import.meta.url` (CommonJS) must pass `pageDir`; without it, the status page.
 */
export function defaultPageDir(moduleUrl: string | undefined = import.meta.url): string {
  if (typeof moduleUrl !== 'string' || !moduleUrl.startsWith('file:'))
    return path.resolve('led-page-not-found');
  const here = path.dirname(fileURLToPath(moduleUrl));
  const candidates = [here, path.join(here, 'page'), path.join(here, '..', '..', 'dist', 'page')];
  const built = (dir: string): boolean => PAGE_FILES.every((f) => existsSync(path.join(dir, f)));
  return candidates.find(built) ?? candidates[0]!;
}

interface Assets {
  html: string;
  files: Map<string, Buffer>;
}

/** Reads the built page once; undefined when any file is missing (the fallback page says so). */
export function loadPageAssets(dir: string): Assets | undefined {
  try {
    const files = new Map(PAGE_FILES.map((f) => [f, readFileSync(path.join(dir, f))] as const));
    return { html: files.get('index.html')!.toString('utf8'), files };
  } catch {
    return undefined;
  }
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The LED control page every node serves at `/`: static HTML, one script and one stylesheet, read
 * once at start and served from memory under a strict CSP. The page itself speaks SMQ over
 * WebSocket to the node that served it. Without a built page, `/` keeps the status page.
 */
export class LedPage {
  private readonly assets: Assets | undefined;

  constructor(
    private readonly node: SmqNode,
    private readonly host: PageHost,
    dir: string = defaultPageDir(),
  ) {
    this.assets = loadPageAssets(dir);
  }

  /** Answers `/` and the page's assets; false for any other path. */
  serve(req: http.IncomingMessage, res: http.ServerResponse, urlPath: string): boolean {
    if (urlPath === '/') {
      if (this.assets) this.sendPage(req, res, this.assets);
      else this.sendFallback(res);
      return true;
    }
    const asset = ASSETS[urlPath];
    const body = asset && this.assets?.files.get(asset.file);
    if (!asset || !body) return false;
    res
      .writeHead(200, {
        ...COMMON,
        'content-type': asset.type,
        'content-length': body.length,
        // Only matters if an asset is opened as a document (the SVG): nothing may load or run.
        'content-security-policy': "default-src 'none'",
      })
      .end(body);
    return true;
  }

  private sendPage(req: http.IncomingMessage, res: http.ServerResponse, assets: Assets): void {
    const { address, port } = this.host.address();
    const values = { nodeName: this.node.name, smqPath: this.host.smqPath };
    // One pass, so a node name that looks like a placeholder stays text.
    const html = assets.html.replace(/\{\{(nodeName|smqPath)\}\}/g, (_, key: keyof typeof values) =>
      escapeHtml(values[key]),
    );
    res
      .writeHead(200, {
        ...COMMON,
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': `default-src 'self'; connect-src 'self' ${pageWsOrigin(req.headers.host, address, port)}`,
      })
      .end(html);
  }

  private sendFallback(res: http.ServerResponse): void {
    const note = 'The LED page was not built: run npm run build (it writes broker/dist/page).';
    res
      .writeHead(200, {
        ...COMMON,
        'content-type': 'text/html; charset=utf-8',
        // The status page has no script and one inline stylesheet.
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      })
      .end(renderStatusPage(this.node.stats(), this.host, note));
  }
}
