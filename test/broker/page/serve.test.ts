import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { WsPeer } from '../../helpers/SmqPeer.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';

const HTML =
  '<!doctype html><title>{{nodeName}}</title><meta name="smq-path" content="{{smqPath}}">' +
  '<p id="n">{{nodeName}}</p>';
const JS = 'console.log("led page");';
const CSS = 'body { color: red; }';
const SVG = '<svg xmlns="http://www.w3.org/2000/svg"/>';
const ALL = { 'index.html': HTML, 'led-page.js': JS, 'led-page.css': CSS, 'favicon.svg': SVG };

let n: RunningNode | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await n?.close();
  n = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A page directory with stand-in assets (the real ones are checked by the e2e test). */
function pageDir(files: Record<string, string | undefined> = ALL) {
  const dir = mkdtempSync(path.join(tmpdir(), 'led-page-'));
  dirs.push(dir);
  for (const [name, body] of Object.entries(files))
    if (body !== undefined) writeFileSync(path.join(dir, name), body);
  return dir;
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A GET with a chosen Host header (fetch does not let a test set it). */
function get(port: number, urlPath: string, host = `127.0.0.1:${port}`, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the LED page at /', () => {
  it('serves the page with a strict CSP naming its own WebSocket origin, nosniff and no referrer', async () => {
    n = await startNode({ name: 'alpha' }, { pageDir: pageDir() });
    const r = await get(n.port, '/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toBe(
      `default-src 'self'; connect-src 'self' ws://127.0.0.1:${n.port}`,
    );
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.body).toContain('<p id="n">alpha</p>');
    expect(r.body).toContain('content="/smq.lsp"');
  });

  it('fills each placeholder once: a node name that looks like one stays text', async () => {
    n = await startNode({ name: '{{smqPath}}' }, { pageDir: pageDir() });
    expect((await get(n.port, '/')).body).toContain('<p id="n">{{smqPath}}</p>');
  });

  it('escapes the node name and SMQ path it writes into the page', async () => {
    n = await startNode({ name: '<b>"x"&' }, { pageDir: pageDir(), smqPath: '/a"b' });
    const r = await get(n.port, '/');
    expect(r.body).toContain('<p id="n">&#60;b&#62;&#34;x&#34;&#38;</p>');
    expect(r.body).toContain('content="/a&#34;b"');
    expect(r.body).not.toContain('<b>');
  });

  it.each([
    ['localhost', (p: number) => `localhost:${p}`, (p: number) => `ws://localhost:${p}`],
    ['IPv6 loopback', (p: number) => `[::1]:${p}`, (p: number) => `ws://[::1]:${p}`],
    [
      'a foreign name (DNS rebinding)',
      (p: number) => `evil.example:${p}`,
      (p: number) => `ws://127.0.0.1:${p}`,
    ],
    [
      'the right host on another port',
      (p: number) => `127.0.0.1:${p + 1}`,
      (p: number) => `ws://127.0.0.1:${p}`,
    ],
    [
      'a Host header carrying CSP directives',
      (p: number) => `127.0.0.1:${p}; script-src *`,
      (p: number) => `ws://127.0.0.1:${p}`,
    ],
  ])(
    'takes the CSP WebSocket origin from the Host header only when it names the node: %s',
    async (_n, host, ws) => {
      n = await startNode({}, { pageDir: pageDir() });
      const r = await get(n.port, '/', host(n.port));
      expect(r.headers['content-security-policy']).toBe(
        `default-src 'self'; connect-src 'self' ${ws(n.port)}`,
      );
    },
  );

  it('serves the script and stylesheet from memory with their content types', async () => {
    const dir = pageDir();
    n = await startNode({}, { pageDir: dir });
    // Read once at start: a file changed afterwards is not what the node serves.
    writeFileSync(path.join(dir, 'led-page.js'), 'changed();');
    const js = await get(n.port, '/page/led-page.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    expect(js.body).toBe(JS);
    const css = await get(n.port, '/page/led-page.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['x-content-type-options']).toBe('nosniff');
    expect(css.body).toBe(CSS);
    const svg = await get(n.port, '/page/favicon.svg');
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['content-security-policy']).toBe("default-src 'none'");
    expect(svg.body).toBe(SVG);
    const head = await get(n.port, '/page/led-page.css', undefined, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(CSS.length));
    expect(head.body).toBe('');
    expect((await get(n.port, '/page/index.html')).status).toBe(404);
    expect((await get(n.port, '/page/../package.json')).status).toBe(404);
  });

  it('keeps /health, the SMQ path and WebSocket upgrades as they were', async () => {
    n = await startNode({ name: 'beta' }, { pageDir: pageDir() });
    const health = await get(n.port, '/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body).name).toBe('beta');
    expect((await get(n.port, '/smq.lsp')).status).toBe(400);
    expect((await get(n.port, '/nope')).status).toBe(404);
    const ws = await WsPeer.connect(n.port, '/smq.lsp');
    expect((await ws.next(PacketType.Init))[0]).toBe(PacketType.Init);
    ws.end();
  });
});

describe('the LED page when it was not built', () => {
  it.each([
    ['an empty directory', {}],
    ['a directory without the stylesheet', { ...ALL, 'led-page.css': undefined }],
  ])('serves the status page at / with a line saying so: %s', async (_name, files) => {
    n = await startNode({ name: 'gamma' }, { pageDir: pageDir(files) });
    const r = await get(n.port, '/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(r.body).toContain('The LED page was not built');
    expect(r.body).toContain('gamma');
    expect((await get(n.port, '/page/led-page.js')).status).toBe(404);
    expect((await get(n.port, '/health')).status).toBe(200);
  });

  it('starts when the page directory does not exist at all', async () => {
    n = await startNode({}, { pageDir: path.join(tmpdir(), 'no-such-led-page-dir') });
    expect((await get(n.port, '/')).body).toContain('The LED page was not built');
  });
});
