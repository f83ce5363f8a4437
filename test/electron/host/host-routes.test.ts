import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostServer } from '../../../electron/host/HostServer.js';
import { HostMetrics } from '../../../electron/host/HostMetrics.js';
import { fixtureRenderer, login, ScriptedApi, shared } from '../helpers/host.js';

let server: HostServer;
let origin: string;
let cookie: string;
const dir = mkdtempSync(path.join(tmpdir(), 'smq-recordings-'));
const body = '{"seq":1,"payloadText":"hi"}\n';
const metrics = new HostMetrics();

beforeAll(async () => {
  writeFileSync(path.join(dir, 'tap-2026-11-25T08-00-00-000Z.jsonl'), body);
  writeFileSync(path.join(dir, 'secret.txt'), 'not a recording');
  server = new HostServer({
    connect: shared(new ScriptedApi()),
    rendererDir: fixtureRenderer(),
    nodeOrigins: () => [],
    recordingsDir: dir,
    metrics,
    log: () => {},
  });
  const addr = await server.listen();
  origin = addr.origin;
  cookie = (await login(addr.launchUrl)).cookie;
});
afterAll(async () => {
  await server.close();
  metrics.close();
});

describe('tap recordings served to the page', () => {
  it('downloads a recording as an attachment with the session cookie', async () => {
    const res = await fetch(`${origin}/recordings/tap-2026-11-25T08-00-00-000Z.jsonl`, {
      headers: { cookie },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="tap-2026-11-25T08-00-00-000Z.jsonl"',
    );
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(await res.text()).toBe(body);
  });

  it('refuses without the cookie, and serves nothing but .jsonl names of that folder', async () => {
    const name = 'tap-2026-11-25T08-00-00-000Z.jsonl';
    expect((await fetch(`${origin}/recordings/${name}`)).status).toBe(401);
    for (const bad of ['secret.txt', '..%2Fsecret.txt', '%2E%2E%2F..%2Fetc%2Fpasswd.jsonl', 'missing.jsonl'])
      expect((await fetch(`${origin}/recordings/${bad}`, { headers: { cookie } })).status, bad).toBe(404);
  });
});

describe('host metrics', () => {
  it('reports the host’s event-loop delay, memory and CPU to the page, and a reset starts a new window', async () => {
    expect((await fetch(`${origin}/metrics.json`)).status).toBe(401);
    const busyUntil = Date.now() + 120;
    await new Promise((r) => setTimeout(r, 20));
    while (Date.now() < busyUntil); // block the loop: the delay must show it
    await new Promise((r) => setTimeout(r, 30));
    const first = (await (await fetch(`${origin}/metrics.json?reset=1`, { headers: { cookie } })).json()) as {
      lagMs: { max: number; p50: number };
      rssBytes: number;
      cpuMs: number;
    };
    expect(first.lagMs.max).toBeGreaterThanOrEqual(90);
    expect(first.rssBytes).toBeGreaterThan(10 << 20);
    expect(first.cpuMs).toBeGreaterThan(50);
    const second = (await (await fetch(`${origin}/metrics.json`, { headers: { cookie } })).json()) as {
      lagMs: { max: number };
    };
    expect(second.lagMs.max).toBeLessThan(90);
  });
});
