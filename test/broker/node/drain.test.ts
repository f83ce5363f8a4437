import { afterEach, describe, expect, it } from 'vitest';
import { AdminEndpoint } from '../../../broker/src/admin/AdminEndpoint.js';
import { NodeDrain, type DrainStatus } from '../../../broker/src/node/NodeDrain.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import type { LedDevice, LedDeviceEvent } from '../../../broker/src/devices/LedDevice.js';
import { startCluster, type ClusterMember } from '../../helpers/startCluster.js';
import { startNode } from '../../helpers/startNode.js';
import { connectPeer, openPeer, type Connected, type TransportName } from '../../helpers/session.js';
import type { SmqPeer } from '../../helpers/SmqPeer.js';
import { waitFor } from '../../helpers/waitFor.js';
import { Child } from '../../helpers/ChildProcess.js';
import { SMQ_NODE_BIN } from '../../helpers/nodeProcess.js';
import { display, holds, ledDevice, ledsOn, rawUrl, track, wsUrl } from '../devices/fixtures.js';

const TOKEN = 'admin-token-for-drain-tests';

async function admin(port: number, method: string, path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`http://127.0.0.1:${port}/admin/${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  return { status: res.status, body: await res.json() };
}

async function healthDrain(port: number): Promise<DrainStatus | null> {
  const h = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { drain: DrainStatus | null };
  return h.drain;
}

const portOf = (d: LedDevice): string | undefined => (d.state.url ? new URL(d.state.url).port : undefined);
const hasDisconnect = (p: SmqPeer): boolean => p.received.some((b) => b[0] === PacketType.Disconnect);

/** A connection the node closed before sending Init: nothing at all was received. */
async function closedBeforeInit(port: number, transport: TransportName): Promise<void> {
  const peer = await openPeer(port, transport);
  await waitFor(() => peer.closed, { what: `a ${transport} connection closed` });
  expect(peer.received).toEqual([]);
}

afterEach(() => Child.killAll());

describe('draining a node of a 3-node cluster', () => {
  it('moves every device of B to A and C, a batch at a time, with no Disconnect; displays on A and C still switch their LEDs', async () => {
    const [a, b, c] = track(...(await startCluster(3))) as [ClusterMember, ClusterMember, ClusterMember];
    new AdminEndpoint(b.node, b.server, TOKEN, b.cluster);
    const onA = display(wsUrl(a));
    const onC = display(wsUrl(c));

    // Devices on every node's URL (DNS round robin), added until B holds a few of them.
    const devices: LedDevice[] = [];
    const events: LedDeviceEvent[] = [];
    const onB = (): LedDevice[] => devices.filter((d) => portOf(d) === String(b.port));
    while (onB().length < 4 && devices.length < 60) {
      const d = ledDevice({ urls: [a, b, c].map(rawUrl), name: `LED-${devices.length + 1}` });
      d.subscribe((e) => events.push(e));
      devices.push(d);
      await waitFor(() => d.state.connected, { what: `${d.name} connected` });
    }
    const moved = onB();
    expect(moved.length).toBeGreaterThanOrEqual(4);
    // Byte-level clients of B too: what B writes to them is checked packet by packet.
    const peers: Connected[] = [await connectPeer(b.port, 'raw'), await connectPeer(b.port, 'ws')];
    const total = moved.length + peers.length;
    await waitFor(() => devices.every((d) => ledsOn(onA, d.state.etid!) && ledsOn(onC, d.state.etid!)), {
      what: 'both displays show every device',
    });

    const started = await admin(b.port, 'POST', 'drain?batch=2&intervalMs=50');
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ drain: { state: 'draining', total, batchSize: 2, intervalMs: 50 } });
    // New connections are closed before Init while it drains, over raw TCP and WebSocket.
    await closedBeforeInit(b.port, 'raw');
    await closedBeforeInit(b.port, 'ws');

    const seen: DrainStatus[] = [];
    await waitFor(
      async () => {
        const s = (await healthDrain(b.port))!;
        seen.push(s);
        return s.state === 'drained';
      },
      { timeout: 20_000, what: 'B drained' },
    );
    const last = seen[seen.length - 1]!;
    expect(last).toMatchObject({ state: 'drained', total, remaining: 0 });
    const remaining = seen.map((s) => s.remaining);
    expect(remaining).toEqual([...remaining].sort((x, y) => y - x));
    expect(b.node.stats().sessions).toBe(0);
    expect(b.node.stats().closes.Drained).toBe(last.closed);
    expect(b.node.stats().closes.Draining).toBeGreaterThanOrEqual(2);

    // Every device of B is back, on A or C; none was stopped by a Disconnect.
    await waitFor(() => moved.every((d) => d.state.connected), { timeout: 20_000, what: 'devices back' });
    for (const d of moved) expect([String(a.port), String(c.port)]).toContain(portOf(d));
    expect(devices.filter((d) => d.state.stopped)).toEqual([]);
    expect(events.filter((e) => e.type === 'disconnect' && !e.reconnecting)).toEqual([]);
    for (const { peer } of peers) {
      await waitFor(() => peer.closed, { what: 'byte-level client closed' });
      expect(hasDisconnect(peer)).toBe(false);
    }
    // Still refusing once drained (until it stops or the drain is cancelled).
    await closedBeforeInit(b.port, 'raw');

    // The displays on A and C still command each moved device at its new ETID, and both see it.
    for (const d of moved) {
      const etid = d.state.etid!;
      await waitFor(() => ledsOn(onA, etid) && ledsOn(onC, etid), { what: `${d.name} shown again` });
      expect(onA.setLed(etid, 2, true)).toBe(true);
      await waitFor(() => d.state.leds[1]!.on, { what: `${d.name} LED 2 on` });
      await waitFor(() => ledsOn(onC, etid)?.[1] === true, { what: `C shows ${d.name} LED 2 on` });
      expect(onC.setLed(etid, 2, false)).toBe(true);
      await waitFor(() => !d.state.leds[1]!.on, { what: `${d.name} LED 2 off` });
    }
  }, 60_000);
});

describe('NodeDrain', () => {
  it('closes at most batchSize sessions per step and reports each step', async () => {
    const n = track(await startNode({ name: 'paced' }))[0]!;
    const peers = await Promise.all(Array.from({ length: 7 }, () => connectPeer(n.port, 'raw')));
    const drain = new NodeDrain(n.node, { batchSize: 3, intervalMs: 20 });
    const steps: DrainStatus[] = [];
    drain.on('progress', (s) => steps.push(s));
    await waitFor(() => drain.status().state === 'drained', { what: 'drained' });
    expect(steps.map((s) => [s.state, s.closed, s.remaining])).toEqual([
      ['draining', 3, 4],
      ['draining', 6, 1],
      ['drained', 7, 0],
    ]);
    for (const { peer } of peers) {
      await waitFor(() => peer.closed, { what: 'peer closed' });
      expect(hasDisconnect(peer)).toBe(false);
    }
  });

  it('reports nothing more once cancelled: no progress event, no close', async () => {
    const n = track(await startNode({ name: 'cancelled' }))[0]!;
    await Promise.all(Array.from({ length: 5 }, () => connectPeer(n.port, 'raw')));
    const intervalMs = 30;
    const drain = new NodeDrain(n.node, { batchSize: 1, intervalMs });
    const steps: DrainStatus[] = [];
    drain.on('progress', (s) => steps.push(s));
    await waitFor(() => steps.length >= 1, { what: 'a first step' });
    drain.cancel();
    const after = steps.length;
    const closed = n.node.stats().closes.Drained;
    expect(steps[after - 1]).toMatchObject({ state: 'cancelled' });
    // Three intervals: three steps had it still run.
    await new Promise((r) => setTimeout(r, 3 * intervalMs));
    expect(steps).toHaveLength(after);
    expect(n.node.stats().closes.Drained).toBe(closed);
    expect(n.node.openSessions().size).toBe(5 - closed);
  });

  it('refuses bad pacing before it refuses any connection', async () => {
    const n = track(await startNode({ name: 'bad-pace' }))[0]!;
    expect(() => new NodeDrain(n.node, { batchSize: 0 })).toThrow(/batchSize/);
    expect(() => new NodeDrain(n.node, { intervalMs: 1.5 })).toThrow(/intervalMs/);
    await connectPeer(n.port, 'raw');
  });
});

describe('the drain admin route', () => {
  it('cancels a drain: nothing more is closed and new clients are accepted again', async () => {
    const n = track(await startNode({ name: 'cancel' }))[0]!;
    new AdminEndpoint(n.node, n.server, TOKEN);
    expect(await admin(n.port, 'GET', 'drain')).toEqual({ status: 200, body: { drain: null } });
    expect(await healthDrain(n.port)).toBeNull();
    const notDraining = { status: 409, body: { error: 'NotDraining' } };
    expect(await admin(n.port, 'DELETE', 'drain')).toMatchObject(notDraining);
    await Promise.all(Array.from({ length: 6 }, () => connectPeer(n.port, 'raw')));

    const intervalMs = 200;
    expect((await admin(n.port, 'POST', `drain?batch=1&intervalMs=${intervalMs}`)).status).toBe(200);
    expect(await admin(n.port, 'POST', 'drain')).toMatchObject({
      status: 409,
      body: { error: 'AlreadyDraining' },
    });
    await waitFor(async () => (await healthDrain(n.port))!.closed >= 1, { what: 'one session closed' });
    const cancelled = await admin(n.port, 'DELETE', 'drain');
    expect(cancelled.body).toMatchObject({ drain: { state: 'cancelled' } });
    const left = n.node.openSessions().size;
    const closed = n.node.stats().closes.Drained;
    expect(left).toBeGreaterThan(0);
    // Three of the drain's own steps would have closed three more.
    await holds(() => n.node.stats().closes.Drained === closed, 3 * intervalMs, 'no close after the cancel');
    expect(n.node.openSessions().size).toBe(left);
    await connectPeer(n.port, 'ws');
    expect((await healthDrain(n.port))!).toMatchObject({ state: 'cancelled', closed });
    // A cancelled drain does not run any more.
    expect(await admin(n.port, 'DELETE', 'drain')).toMatchObject(notDraining);
  });

  it('answers NotDraining to a cancel once the drain has ended drained', async () => {
    const n = track(await startNode({ name: 'drained' }))[0]!;
    new AdminEndpoint(n.node, n.server, TOKEN);
    await connectPeer(n.port, 'raw');
    expect((await admin(n.port, 'POST', 'drain?intervalMs=20')).status).toBe(200);
    await waitFor(async () => (await healthDrain(n.port))?.state === 'drained', { what: 'drained' });
    expect(await admin(n.port, 'DELETE', 'drain')).toMatchObject({
      status: 409,
      body: { error: 'NotDraining' },
    });
    await closedBeforeInit(n.port, 'raw');
  });

  it('answers bad requests with typed errors', async () => {
    const n = track(await startNode({ name: 'bad-requests' }))[0]!;
    new AdminEndpoint(n.node, n.server, TOKEN);
    expect((await admin(n.port, 'POST', 'drain?batch=0')).body).toMatchObject({ error: 'BadArguments' });
    expect((await admin(n.port, 'POST', 'drain?intervalMs=x')).body).toMatchObject({ error: 'BadArguments' });
    expect((await admin(n.port, 'POST', 'drain?then=reboot')).body).toMatchObject({ error: 'BadArguments' });
    // Inside another program there is no process to end.
    expect(await admin(n.port, 'POST', 'drain?then=exit')).toMatchObject({
      status: 400,
      body: { error: 'CannotExit' },
    });
    await connectPeer(n.port, 'raw');
  });

  it('ends an smq-node process once drained when asked with then=exit', async () => {
    const env = { ...process.env, SMQ_ADMIN_TOKEN: TOKEN };
    const child = new Child(
      process.execPath,
      [SMQ_NODE_BIN, '--port', '0', '--name', 'exits', '--log-level', 'warn'],
      env,
    );
    const port = Number((await child.line(/listening on http:\/\/127\.0\.0\.1:(\d+)/))[1]);
    const client = await connectPeer(port, 'raw');
    const res = await admin(port, 'POST', 'drain?then=exit&intervalMs=20');
    expect(res.body).toMatchObject({ drain: { state: 'draining', total: 1 } });
    await child.waitExit(15_000);
    expect(child.exitCode).toBe(0);
    expect(client.peer.closed).toBe(true);
    expect(hasDisconnect(client.peer)).toBe(false);
  }, 30_000);
});
