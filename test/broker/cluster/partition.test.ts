import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Child } from '../../helpers/ChildProcess.js';
import { SMQ_NODE_BIN as BIN } from '../../helpers/nodeProcess.js';
import { Netns, ip, netnsUnavailable } from '../../helpers/netns.js';
import { waitFor } from '../../helpers/waitFor.js';
import {
  change,
  connectPeer,
  create,
  observe,
  publish,
  published,
  subscribe,
} from '../../helpers/session.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import type { LinkInfo } from '../../../broker/src/cluster/index.js';

const unavailable = netnsUnavailable();
if (unavailable) console.warn(`partition test skipped: ${unavailable}`);

/** Subnets from the pid, so two runs on one machine do not collide. */
const octet = 16 + (process.pid % 200);

describe.skipIf(unavailable !== undefined)('a partition across network namespaces', () => {
  let ns: Netns;
  let link: { outside: string; hostIp: string; nsIp: string };
  let access: { nsIp: string };

  beforeAll(() => {
    ns = new Netns('p');
    link = ns.veth('l', `10.77.${octet}`);
    access = ns.veth('c', `10.78.${octet}`);
  });
  afterEach(() => Child.killAll());
  afterAll(() => ns?.destroy());

  async function upLinks(host: string, port: number): Promise<LinkInfo[]> {
    const h = (await (await fetch(`http://${host}:${port}/health`)).json()) as {
      cluster: { links: LinkInfo[] };
    };
    return h.cluster.links.filter((l) => l.state === 'up');
  }

  it('cut: each side loses the other side (Change(etid, 0), counts drop); heal: links and traffic resume', async () => {
    const common = ['--secret', 'partition', '--log-level', 'warn', '--host', '0.0.0.0', '--port', '0'];
    // b in the root namespace; a inside the namespace, linked to b over the `link` veth pair only.
    const b = new Child(process.execPath, [
      BIN,
      '--name',
      'b',
      ...common,
      '--advertise',
      `ws://${link.hostIp}:0`,
    ]);
    const portB = Number((await b.line(/listening on http:\/\/0\.0\.0\.0:(\d+)/))[1]);
    const a = new Child('ip', [
      'netns',
      'exec',
      ns.name,
      process.execPath,
      BIN,
      '--name',
      'a',
      ...common,
      '--peer',
      `ws://${link.hostIp}:${portB}`,
    ]);
    const portA = Number((await a.line(/listening on http:\/\/0\.0\.0\.0:(\d+)/))[1]);
    const atA = { host: access.nsIp, port: portA };
    await waitFor(async () => (await upLinks(access.nsIp, portA)).length === 1, {
      what: 'a link across namespaces',
    });

    // Clients reach a over the `access` pair, which the cut leaves alone.
    const display = await connectPeer(atA, 'ws');
    const device = await connectPeer(portB, 'raw');
    const tidB = await subscribe(device.peer, '/m2m/led/display');
    const tidA = await create(display.peer, '/m2m/led/display');
    observe(display.peer, tidA);
    while (change(await display.peer.next(PacketType.Change)).count !== 1);
    observe(display.peer, device.etid);
    expect(await display.peer.sync()).toEqual([]);

    ip('link', 'set', link.outside, 'down');
    // Heartbeats stop; after the dead-peer timeout a drops b's clients and their subscriptions.
    const seen = [
      await display.peer.next(PacketType.Change, 15_000),
      await display.peer.next(PacketType.Change, 15_000),
    ];
    expect(seen.map(change)).toEqual(
      expect.arrayContaining([
        { id: device.etid, count: 0 },
        { id: tidA, count: 0 },
      ]),
    );
    publish(display, tidA, 'lost in the partition');
    await display.peer.sync();

    ip('link', 'set', link.outside, 'up');
    await waitFor(async () => (await upLinks(access.nsIp, portA)).length === 1, {
      timeout: 20_000,
      what: 'the link healed',
    });
    expect(change(await display.peer.next(PacketType.Change, 10_000))).toEqual({ id: tidA, count: 1 });
    publish(display, tidA, 'after the heal');
    const got = published(await device.peer.next(PacketType.Publish));
    expect(got).toMatchObject({ dest: tidB, ptid: display.etid, payload: 'after the heal' });
    expect(await device.peer.sync()).toEqual([]);
  }, 60_000);
});
