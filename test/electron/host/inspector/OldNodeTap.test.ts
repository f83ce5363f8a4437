import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TapRequest } from '../../../../broker/src/admin/adminWire.js';
import { ClusterWatch } from '../../../../electron/host/inspector/ClusterWatch.js';
import { TapHub } from '../../../../electron/host/inspector/TapHub.js';
import { waitFor } from '../../../helpers/waitFor.js';

/*
 * An smq-node from before tap scopes: its request parser drops `scope`, so a lifecycle-only ask
 * reads as a full tap, and its `tapping` ack carries no scope. A real WebSocket server answers like
 * it did (or, as the control, like a node that knows scopes and echoes the one it taps).
 */
class FakeAdminNode {
  readonly taps: TapRequest[] = [];
  /** Every request's op in order (the host asks for topics every second on the same socket). */
  readonly ops: string[] = [];
  private readonly server: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();

  constructor(private readonly echoesScope: boolean) {
    this.server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.server.on('connection', (ws) => {
      this.sockets.add(ws);
      ws.on('close', () => this.sockets.delete(ws));
      ws.send(JSON.stringify({ t: 'hello', node: 'old', version: 1, startedAt: Date.now() }));
      ws.on('message', (data) => {
        const req = JSON.parse(String(data)) as { op: string };
        this.ops.push(req.op);
        if (req.op !== 'tap') return;
        const tap = req as TapRequest;
        this.taps.push(tap);
        const ack: Record<string, unknown> = { t: 'tapping', on: tap.on, captureBytes: tap.on ? 4096 : 0 };
        if (this.echoesScope && tap.on) ack.scope = tap.scope ?? 'all';
        ws.send(JSON.stringify(ack));
      });
    });
  }

  /** The node's http:// origin, once it listens. */
  async origin(): Promise<string> {
    if (!this.server.address()) await new Promise((resolve) => this.server.once('listening', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The node's side of the socket closes (a restart): the host redials and asks again. */
  dropSockets(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  close(): Promise<void> {
    this.dropSockets();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let dir: string;
let node: FakeAdminNode;
let hub: TapHub;
let watch: ClusterWatch | undefined;
const logged: string[] = [];

async function watchNode(echoesScope: boolean): Promise<void> {
  node = new FakeAdminNode(echoesScope);
  hub = new TapHub({ recordingsDir: dir, setTapScope: (scope, bytes) => watch?.setTap(scope, bytes) });
  watch = new ClusterWatch(
    'a-token-of-sixteen-chars',
    hub,
    () => {},
    undefined,
    (_, m) => logged.push(m),
  );
  watch.sync([{ id: 'n1', url: await node.origin() }]);
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'smq-cc-oldnode-'));
  logged.length = 0;
});
afterEach(async () => {
  watch?.close();
  watch = undefined;
  await hub.close();
  await node.close();
  rmSync(dir, { recursive: true, force: true });
});

const last = (): TapRequest | undefined => node.taps.at(-1);

describe('a node from before lifecycle-only taps', () => {
  it('gets its tap turned off while nobody reads, on every connection, and one log line', async () => {
    await watchNode(false);
    await waitFor(() => last()?.on === false, { timeout: 10_000, what: 'the tap turned off' });
    expect(node.taps).toEqual([
      { op: 'tap', on: true, scope: 'lifecycle', captureBytes: 4096 },
      { op: 'tap', on: false },
    ]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^n1 \(http:\/\/127\.0\.0\.1:\d+\) is an smq-node without lifecycle-only taps/);

    node.dropSockets();
    await waitFor(() => node.taps.length === 4, { timeout: 10_000, what: 'the redial asking again' });
    expect(node.taps.slice(2)).toEqual([
      { op: 'tap', on: true, scope: 'lifecycle', captureBytes: 4096 },
      { op: 'tap', on: false },
    ]);
    expect(logged).toHaveLength(1);
  }, 30_000);

  it('taps everything while an inspector reads, and is turned off again after', async () => {
    await watchNode(false);
    await waitFor(() => last()?.on === false, { timeout: 10_000, what: 'the tap turned off' });
    const feed = hub.watch({}, { canSend: () => true, send: () => {} });
    await waitFor(() => last()?.scope === 'all', { timeout: 10_000, what: 'the full tap' });
    hub.unwatch(feed);
    await waitFor(() => last()?.on === false && node.taps.length >= 5, {
      timeout: 10_000,
      what: 'the tap off again',
    });
    // The full tap's ack has no scope either, yet it is not turned off: the next request is the
    // lifecycle-only ask (an ack that arrives after it may add one more off).
    expect(node.taps.slice(0, 4).map((t) => [t.on, t.scope])).toEqual([
      [true, 'lifecycle'],
      [false, undefined],
      [true, 'all'],
      [true, 'lifecycle'],
    ]);
    expect(node.taps.slice(4).every((t) => !t.on)).toBe(true);
  }, 30_000);

  it('control: a node that echoes the scope keeps its lifecycle-only tap', async () => {
    await watchNode(true);
    await waitFor(() => node.taps.length >= 1, { timeout: 10_000, what: 'the tap asked for' });
    const feed = hub.watch({}, { canSend: () => true, send: () => {} });
    hub.unwatch(feed);
    // Two topics requests after the last tap ask: its ack was read long before the second.
    await waitFor(() => node.ops.lastIndexOf('tap') < node.ops.length - 2, {
      timeout: 10_000,
      what: 'two topics requests after the last tap ask',
    });
    expect(node.taps.map((t) => [t.on, t.scope])).toEqual([
      [true, 'lifecycle'],
      [true, 'all'],
      [true, 'lifecycle'],
    ]);
    expect(logged).toEqual([]);
  }, 30_000);
});
