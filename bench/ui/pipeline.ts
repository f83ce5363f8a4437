/// <reference lib="dom" />
/**
 * The UI pipeline under load (issue #6): the product's browser mode (`dist/electron/browser.mjs`,
 * the host in its own process, nodes as its child processes) with the inspector open in Debian
 * Chromium while a load run publishes `rate` msgs/s into one node for `durationMs`, every one of
 * them tapped. Measures the page's frame times (requestAnimationFrame deltas), its JS heap at the
 * start and end (after a forced GC) and the host process's event-loop delay, RSS and CPU.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';

const CHROMIUM = process.env.SMQ_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface UiPipelineOptions {
  repo: string;
  rate: number;
  durationMs: number;
  log: (line: string) => void;
}

export interface UiPipelineResult {
  rate: number;
  durationMs: number;
  frames: { count: number; p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number; over50Ms: number };
  heapMB: { start: number; end: number; peak: number };
  inspector: { tapped: number; matched: number; skipped: number; rowsInList: number };
  host: { lagP50Ms: number; lagP99Ms: number; lagMaxMs: number; rssMB: number; cpuPct: number };
}

interface HostMetricsJson {
  lagMs: { p50: number; p99: number; max: number };
  sinceMs: number;
  rssBytes: number;
  cpuMs: number;
}

const pct = (sorted: number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;

/** Starts browser mode in a fresh data folder; resolves with its launch URL and a stop function. */
async function startHost(repo: string): Promise<{ url: string; stop: () => void }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'smq-ui-bench-'));
  const child = spawn(process.execPath, [path.join(repo, 'dist/electron/browser.mjs')], {
    env: { ...process.env, SMQ_CC_DATA_DIR: dataDir, SMQ_CC_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = (): void => {
    child.kill('SIGTERM');
    setTimeout(() => rmSync(dataDir, { recursive: true, force: true }), 2000).unref();
  };
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('browser mode printed no URL in 20 s')), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`browser mode exited (${code})`)));
  });
  return { url, stop };
}

/** One contract call from inside the page (its cookie and Origin), over a fresh host WebSocket. */
function call(page: Page, cmd: string, args: unknown): Promise<unknown> {
  return page.evaluate(
    ([cmd, args]) =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`ws://${location.host}/host`);
        ws.onmessage = (e) => {
          const msg = JSON.parse(String(e.data)) as {
            kind: string;
            id?: number;
            result?: unknown;
            error?: unknown;
          };
          if (msg.kind === 'hello') ws.send(JSON.stringify({ kind: 'call', id: 1, cmd, args }));
          else if (msg.id === 1) {
            ws.close();
            if (msg.kind === 'result') resolve(msg.result);
            else reject(new Error(JSON.stringify(msg.error)));
          }
        };
        ws.onerror = () => reject(new Error('host WebSocket failed'));
      }),
    [cmd, args] as const,
  );
}

export async function runUiPipeline(o: UiPipelineOptions): Promise<UiPipelineResult> {
  const host = await startHost(o.repo);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(host.url);
    await call(page, 'createCluster', { nodes: 3 });
    for (let i = 0; i < 100; i++) {
      const snap = (await call(page, 'snapshot', {})) as { links: { state: string }[] };
      if (snap.links.filter((l) => l.state === 'up').length === 3) break;
      await page.waitForTimeout(200);
    }
    await page.evaluate(() => (location.hash = '/inspector'));
    await page.getByRole('heading', { name: 'Inspector' }).waitFor();
    const cdp = await page.context().newCDPSession(page);
    const heap = async (gc: boolean): Promise<number> => {
      if (gc) await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    const metrics = (reset: boolean): Promise<HostMetricsJson> =>
      page.evaluate(
        async (r) => (await fetch(`/metrics.json${r ? '?reset=1' : ''}`)).json() as Promise<HostMetricsJson>,
        reset,
      );

    const heapStart = await heap(true);
    await metrics(true);
    const publishers = Math.max(1, Math.ceil(o.rate / 1000));
    await call(page, 'startLoad', {
      nodeIds: ['n1'],
      publishers,
      subscribers: 1,
      rate: o.rate / publishers,
      payloadBytes: 64,
      durationMs: o.durationMs,
    });
    o.log(`ui: ${o.rate} msgs/s for ${o.durationMs / 1000} s into the inspector`);
    await page.evaluate(() => {
      const w = window as unknown as { frameDeltas: number[] };
      w.frameDeltas = [];
      let last = performance.now();
      const tick = (now: number): void => {
        w.frameDeltas.push(now - last);
        last = now;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    let peak = heapStart;
    const until = Date.now() + o.durationMs;
    while (Date.now() < until) {
      await page.waitForTimeout(Math.min(5000, until - Date.now()));
      peak = Math.max(peak, await heap(false));
    }
    const deltas = (await page.evaluate(() => (window as unknown as { frameDeltas: number[] }).frameDeltas))
      .slice(1)
      .sort((a, b) => a - b);
    const hostAfter = await metrics(false);
    const status =
      (await page
        .getByText(/tapped ·/)
        .first()
        .textContent()) ?? '';
    const count = (re: RegExp): number => {
      const m = re.exec(status);
      if (!m) return 0;
      return Number(m[1]) * (m[2] === 'k' ? 1e3 : m[2] === 'M' ? 1e6 : 1);
    };
    const rowsInList = await page.locator('.tap-row').count();
    const heapEnd = await heap(true);
    return {
      rate: o.rate,
      durationMs: o.durationMs,
      frames: {
        count: deltas.length,
        p50Ms: round(pct(deltas, 50)),
        p95Ms: round(pct(deltas, 95)),
        p99Ms: round(pct(deltas, 99)),
        maxMs: round(deltas.at(-1) ?? NaN),
        over50Ms: deltas.filter((d) => d > 50).length,
      },
      heapMB: { start: mb(heapStart), end: mb(heapEnd), peak: mb(peak) },
      inspector: {
        tapped: count(/([\d.]+)(k|M)? tapped/),
        matched: count(/([\d.]+)(k|M)? matched/),
        skipped: count(/([\d.]+)(k|M)? skipped/),
        rowsInList,
      },
      host: {
        lagP50Ms: hostAfter.lagMs.p50,
        lagP99Ms: hostAfter.lagMs.p99,
        lagMaxMs: hostAfter.lagMs.max,
        rssMB: mb(hostAfter.rssBytes),
        cpuPct: Math.round((hostAfter.cpuMs / hostAfter.sinceMs) * 1000) / 10,
      },
    };
  } finally {
    await browser.close();
    host.stop();
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The result as table lines. */
export function uiPipelineTable(r: UiPipelineResult): string {
  return [
    `UI pipeline: ${r.rate} msgs/s tapped for ${r.durationMs / 1000} s, inspector open (browser mode, Chromium)`,
    `  frames      ${r.frames.count} · p50 ${r.frames.p50Ms} ms · p95 ${r.frames.p95Ms} ms · p99 ${r.frames.p99Ms} ms · max ${r.frames.maxMs} ms · ${r.frames.over50Ms} over 50 ms`,
    `  page heap   start ${r.heapMB.start} MB · end ${r.heapMB.end} MB · peak ${r.heapMB.peak} MB (GC before start and end)`,
    `  inspector   ${r.inspector.tapped} tapped · ${r.inspector.skipped} skipped · ${r.inspector.rowsInList} rows in the DOM`,
    `  host        event-loop delay p50 ${r.host.lagP50Ms} ms · p99 ${r.host.lagP99Ms} ms · max ${r.host.lagMaxMs} ms · RSS ${r.host.rssMB} MB · CPU ${r.host.cpuPct}%`,
  ].join('\n');
}
