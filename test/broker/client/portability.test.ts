import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startNode } from '../../helpers/startNode.js';
import { waitFor } from '../../helpers/waitFor.js';
import { connect as connectBrowser, type SmqClient } from '../../../broker/src/client/browser.js';
import { connected, inbox, track, urlFor } from './clients.js';

const DIR = join(import.meta.dirname, '../../../broker/src/client');
/** The Node-only modules; everything else must bundle for a browser. */
const NODE_ONLY = new Set(['node.ts', 'rawTcp.ts', 'nodeWebSocket.ts']);

/** Reasons a module would not run in a browser: Node imports, `ws`, Buffer, broker internals. */
function nodeDependencies(file: string): string[] {
  const src = readFileSync(join(DIR, file), 'utf8');
  const found: string[] = [];
  for (const m of src.matchAll(/from '([^']+)'/g)) {
    const spec = m[1]!;
    if (spec.startsWith('node:') || spec === 'ws') found.push(spec);
    else if (spec.startsWith('../') && spec !== '../protocol/constants.js') found.push(spec);
  }
  if (/\bBuffer\b/.test(src.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''))) found.push('Buffer');
  return found;
}

describe('the transport-agnostic core', () => {
  it('uses no Node module, no ws, no Buffer and only the pure protocol constants', () => {
    const core = readdirSync(DIR).filter((f) => f.endsWith('.ts') && !NODE_ONLY.has(f));
    expect(core).toContain('SmqClient.ts');
    expect(core).toContain('browser.ts');
    expect(Object.fromEntries(core.map((f) => [f, nodeDependencies(f)]))).toEqual(
      Object.fromEntries(core.map((f) => [f, []])),
    );
  });

  it('would notice a Node dependency (negative control on the Node-only modules)', () => {
    expect(nodeDependencies('node.ts')).toContain('node:tls');
    expect(nodeDependencies('rawTcp.ts')).toEqual(
      expect.arrayContaining(['node:net', '../protocol/framing.js', 'Buffer']),
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
