import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startNode } from '../../helpers/startNode.js';
import { waitFor } from '../../helpers/waitFor.js';
import { connect as connectBrowser, type SmqClient } from '../../../broker/src/client/browser.js';
import { connected, inbox, track, urlFor } from './clients.js';

const SRC = join(import.meta.dirname, '../../../broker/src');
/** The client's Node-only modules; everything else must bundle for a browser. */
const NODE_ONLY = new Set(['node.ts', 'rawTcp.ts', 'nodeWebSocket.ts']);

/**
 * Reasons a module would not run in a browser: Node imports, `ws`, Buffer, and imports of broker
 * internals. The client core may import only itself and the codec; the codec only itself.
 */
function nodeDependencies(dir: 'client' | 'protocol', file: string): string[] {
  const src = readFileSync(join(SRC, dir, file), 'utf8');
  const found: string[] = [];
  for (const m of src.matchAll(/from '([^']+)'/g)) {
    const spec = m[1]!;
    if (spec.startsWith('node:') || spec === 'ws') found.push(spec);
    else if (spec.startsWith('../') && !(dir === 'client' && /^\.\.\/protocol\/[\w-]+\.js$/.test(spec))) {
      found.push(spec);
    }
  }
  if (/\bBuffer\b/.test(src.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''))) found.push('Buffer');
  return found;
}

function browserModules(dir: 'client' | 'protocol'): string[] {
  return readdirSync(join(SRC, dir)).filter(
    (f) => f.endsWith('.ts') && !(dir === 'client' && NODE_ONLY.has(f)),
  );
}

describe('the transport-agnostic core', () => {
  it('uses no Node module, no ws, no Buffer, and of the broker only the protocol codec', () => {
    const core = browserModules('client');
    expect(core).toContain('SmqClient.ts');
    expect(core).toContain('browser.ts');
    expect(Object.fromEntries(core.map((f) => [f, nodeDependencies('client', f)]))).toEqual(
      Object.fromEntries(core.map((f) => [f, []])),
    );
  });

  it('would notice a Node dependency (negative control on the Node-only modules)', () => {
    expect(nodeDependencies('client', 'node.ts')).toContain('node:tls');
    expect(nodeDependencies('client', 'rawTcp.ts')).toEqual(
      expect.arrayContaining(['node:net', 'node:tls', 'Buffer']),
    );
  });
});

describe('the protocol codec the client shares with the broker', () => {
  it('uses no Node module, no ws, no Buffer and nothing outside broker/src/protocol', () => {
    const codec = browserModules('protocol');
    expect(codec).toEqual(expect.arrayContaining(['index.ts', 'framing.ts', 'publish.ts', 'bytes.ts']));
    expect(Object.fromEntries(codec.map((f) => [f, nodeDependencies('protocol', f)]))).toEqual(
      Object.fromEntries(codec.map((f) => [f, []])),
    );
  });
});

describe('the browser entry point', () => {
  const g = globalThis as { WebSocket?: unknown };
  const had = g.WebSocket;
  let c: SmqClient | undefined;
  afterEach(() => {
    c?.disconnect();
    c = undefined;
    g.WebSocket = had;
  });

  it('talks SMQ through globalThis.WebSocket, and maps http:// to ws://', async () => {
    g.WebSocket = WebSocket; // ws implements the WHATWG surface used (binaryType, onmessage, ...)
    const n = track(await startNode());
    c = connectBrowser(urlFor(n.port, 'raw'), { reconnect: { minDelayMs: 20 } });
    const got = inbox<unknown>();
    await c.subscribe('/m2m/led/device', { datatype: 'json', subtopic: 'devinfo', onmsg: got.push });
    const device = await connected(urlFor(n.port, 'raw'));
    device.pubjson({ devname: 'x' }, '/m2m/led/device', 'devinfo');
    await waitFor(() => got.got.length === 1);
    expect(got.got).toEqual([{ devname: 'x' }]);
    expect(
      n.node
        .sessions()
        .map((s) => s.transport)
        .sort(),
    ).toEqual(['raw', 'ws']);
  });

  it('reports that there is no WebSocket when the platform has none', async () => {
    delete g.WebSocket;
    c = connectBrowser('ws://127.0.0.1:1/smq.lsp', { reconnect: false });
    const errors = inbox<string>();
    c.onconnecterror = (_url, reason) => errors.push(reason);
    await waitFor(() => errors.got.length === 1);
    expect(errors.got).toEqual(['no WebSocket in this environment']);
  });
});
