import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lastHostPort, rememberHostPort, stableHostPort } from '../../electron/data-dir.js';

/*
 * The page's layout lives in the localStorage of its origin, http://127.0.0.1:PORT: the host keeps
 * its port across launches (remembered in the data folder) so the layout survives a restart.
 */
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const dataDir = (): string => mkdtempSync(join(tmpdir(), 'smq-cc-port-'));

/** What a launch does with the port (HostServer binds 127.0.0.1 the same way): ask, listen, remember. */
async function launch(
  dir: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ origin: string; port: number; close(): Promise<void> }> {
  const server = createServer();
  const wanted = await stableHostPort(dir, env);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(wanted, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  expect(rememberHostPort(dir, port)).toBe(true);
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function occupy(port = 0): Promise<Server> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((r) => s.close(() => r())));
  return s;
}

describe('the host port across launches', () => {
  it('a relaunch listens on the port of the last launch: same origin, same layout', async () => {
    const dir = dataDir();
    expect(lastHostPort(dir)).toBeNull();
    const first = await launch(dir);
    const origin = first.origin;
    expect(lastHostPort(dir)).toBe(first.port);
    await first.close();

    const second = await launch(dir);
    cleanup.push(() => second.close());
    expect(second.origin).toBe(origin);
  });

  it('falls back to a free port when the last one is taken, and remembers that one', async () => {
    const dir = dataDir();
    const taken = (await occupy()).address() as AddressInfo;
    rememberHostPort(dir, taken.port);
    expect(await stableHostPort(dir, {})).toBe(0);
    const server = await launch(dir);
    cleanup.push(() => server.close());
    expect(server.port).not.toBe(taken.port);
    expect(lastHostPort(dir)).toBe(server.port);
  });

  it('SMQ_CC_PORT pins the port over the remembered one; a broken file means any free port', async () => {
    const dir = dataDir();
    rememberHostPort(dir, 41234);
    expect(await stableHostPort(dir, { SMQ_CC_PORT: '8700' })).toBe(8700);
    expect(await stableHostPort(dir, { SMQ_CC_PORT: '0' })).toBe(0);
    writeFileSync(join(dir, 'host-port.json'), '{"port": "8080"');
    expect(lastHostPort(dir)).toBeNull();
    expect(await stableHostPort(dir, {})).toBe(0);
    writeFileSync(join(dir, 'host-port.json'), '{"port": 70000}');
    expect(await stableHostPort(dir, {})).toBe(0);
    expect(rememberHostPort(join(dir, 'host-port.json', 'below-a-file'), 1234)).toBe(false);
  });
});
