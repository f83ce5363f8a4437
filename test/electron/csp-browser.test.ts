import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSnapshot, NodeView } from '../../contract/hostContract.js';
import { HostServer } from '../../electron/host/HostServer.js';
import { launchBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { ScriptedApi, shared } from './helpers/host.js';

/*
 * The host's CSP as Chromium enforces it (the Electron window runs the same engine on the same
 * page): inline script and inline style attributes do not run, connect-src admits exactly the
 * node origins and the host, and the built renderer runs under it without a violation.
 */

/** A loopback server that answers any origin (CORS *), counting who asked. */
async function bystander(): Promise<{ server: Server; url: string; asked: string[] }> {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    asked.push(req.url ?? '');
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*' }).end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked };
}

function probeRenderer(): string {
  const dir = mkdtempSync(join(tmpdir(), 'smq-csp-probe-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><head><title>probe</title>' +
      '<script>window.inlineRan = true;</script>' +
      '<style>#styled { color: rgb(255, 0, 0); }</style>' +
      '<script type="module" src="./assets/probe.js"></script></head>' +
      '<body><p id="attr" style="color: rgb(0, 128, 0)">attr</p><p id="styled">styled</p>' +
      '<p id="cssom">cssom</p></body></html>',
  );
  // From a file: allowed. Sets a style through the CSSOM, as React and React Flow do.
  writeFileSync(
    join(dir, 'assets', 'probe.js'),
    "window.fileRan = true; document.getElementById('cssom').style.color = 'rgb(0, 0, 255)';\n",
  );
  return dir;
}

function nodeView(id: string, port: number): NodeView {
  return {
    id,
    host: '127.0.0.1',
    port,
    wsUrl: `ws://127.0.0.1:${port}/smq.lsp`,
    rawUrl: `http://127.0.0.1:${port}/smq.lsp`,
    state: 'up',
    pid: 1000 + port,
    uptimeMs: 60_000,
    clients: 2,
    subscriptions: 3,
    topics: 4,
    msgsIn: 10,
    msgsOut: 20,
    bytesIn: 300,
    bytesOut: 600,
    msgsPerSec: 1.5,
    lastError: null,
    deviceAuth: 'none',
    drain: null,
    nats: null,
  };
}

/** A 3-node cluster, so the renderer draws its topology graph (React Flow) under the CSP. */
const CLUSTER: ClusterSnapshot = {
  exists: true,
  kind: 'local',
  profile: 'default',
  nodes: [nodeView('n1', 41001), nodeView('n2', 41002), nodeView('n3', 41003)],
  links: [
    { a: 'n1', b: 'n2', state: 'up', rttMs: 0.4, queuedBytes: 0, lastReason: null },
    { a: 'n1', b: 'n3', state: 'up', rttMs: 0.5, queuedBytes: 0, lastReason: null },
    { a: 'n2', b: 'n3', state: 'down', rttMs: null, queuedBytes: 0, lastReason: 'LinkRemoved' },
  ],
  devices: [],
  fleets: [],
  unlinked: [],
  partitioned: false,
  transport: 'mesh',
  natsServer: null,
  tls: false,
  caFile: null,
};

let browser: Browser;
let node: Awaited<ReturnType<typeof bystander>>;
let stranger: Awaited<ReturnType<typeof bystander>>;
const servers: HostServer[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  node = await bystander();
  stranger = await bystander();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
  node?.server.close();
  stranger?.server.close();
});

async function open(rendererDir: string): Promise<{ page: Page; violations: string[] }> {
  const server = new HostServer({
    connect: shared(new ScriptedApi({ snapshot: () => CLUSTER })),
    rendererDir,
    nodeOrigins: () => [node.url],
  });
  servers.push(server);
  const { launchUrl } = await server.listen();
  const page = await browser.newPage();
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const res = await page.goto(launchUrl);
  expect(res?.status()).toBe(200);
  expect(page.url()).toBe(`${new URL(launchUrl).origin}/`); // the token is gone from the address bar
  return { page, violations };
}

describe('the CSP in Chromium', () => {
  it('runs scripts from files only, and styles from files or the CSSOM only', async () => {
    const { page, violations } = await open(probeRenderer());
    await page.waitForFunction('window.fileRan === true');
    // Page-side code as strings: this file is type-checked without the DOM library.
    const state = (await page.evaluate(`({
      inline: window.inlineRan ?? false,
      attr: getComputedStyle(document.getElementById('attr')).color,
      styled: getComputedStyle(document.getElementById('styled')).color,
      cssom: getComputedStyle(document.getElementById('cssom')).color,
    })`)) as Record<string, unknown>;
    expect(state).toEqual({
      inline: false,
      attr: 'rgb(0, 0, 0)',
      styled: 'rgb(0, 0, 0)',
      cssom: 'rgb(0, 0, 255)',
    });
    expect(violations.length).toBeGreaterThanOrEqual(3);
  });

  it('lets the page reach the host and the active nodes, and nothing else', async () => {
    const { page } = await open(probeRenderer());
    const fetchFrom = (url: string): Promise<string> =>
      page.evaluate(async (u) => {
        try {
          return String((await fetch(u)).status);
        } catch {
          return 'blocked';
        }
      }, url);
    expect(await fetchFrom(`${node.url}/health`)).toBe('200');
    expect(await fetchFrom(`${stranger.url}/`)).toBe('blocked');
    expect(await fetchFrom('/connection.json')).toBe('200');
    expect(stranger.asked).toEqual([]);
    expect(node.asked).toEqual(['/health']);
  });

  const built = resolve('dist/renderer/index.html');
  it.skipIf(!existsSync(built))(
    'runs the built renderer and its topology graph without a CSP violation',
    async () => {
      const { page, violations } = await open(resolve('dist/renderer'));
      // React Flow draws the three nodes (positioned through the CSSOM, which style-src does not govern).
      await page.waitForFunction("document.querySelectorAll('.react-flow__node').length === 3", undefined, {
        timeout: 15_000,
      });
      await screenshot(page, 'electron-csp-renderer');
      expect(violations).toEqual([]);
    },
  );
});

it('refuses the host WebSocket to a page on another loopback port, though the browser sends it the cookie', async () => {
  const server = new HostServer({
    connect: shared(new ScriptedApi()),
    rendererDir: probeRenderer(),
    nodeOrigins: () => [],
  });
  servers.push(server);
  const { launchUrl, origin } = await server.listen();
  const page = await browser.newPage();
  await page.goto(launchUrl); // the browser now holds the session cookie
  const wsUrl = `${origin.replace('http', 'ws')}/host`;
  const openFrom = (p: Page): Promise<string> =>
    p.evaluate(
      (u) =>
        new Promise<string>((done) => {
          const ws = new WebSocket(u);
          ws.onopen = () => {
            ws.close();
            done('open');
          };
          ws.onerror = () => done('refused');
        }),
      wsUrl,
    );
  expect(await openFrom(page)).toBe('open');
  const before = server.stats.refused;
  const other = await browser.newPage();
  await other.goto(`${node.url}/`); // same site (127.0.0.1), another port
  expect(await openFrom(other)).toBe('refused');
  expect(server.stats.refused).toBe(before + 1);
});
