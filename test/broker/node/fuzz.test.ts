import { afterEach, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { waitFor } from '../../helpers/waitFor.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import { encodePublish } from '../../../broker/src/protocol/publish.js';
import { Rng } from '../../helpers/fuzz/rng.js';
import { Routable, Tally, hex } from '../../helpers/fuzz/Tally.js';
import { runLane, type World } from '../../helpers/fuzz/FuzzLane.js';
import { publishSequence, Watcher } from '../../helpers/fuzz/bystanders.js';
import { TEMPLATES } from '../../helpers/fuzz/packets.js';
import type { FuzzTransport } from '../../helpers/fuzz/FuzzPeer.js';

/**
 * Fuzzing (TESTING.md): mutated valid packets after valid handshakes, over both transports, with a
 * spec oracle per packet, counts per packet type, and exact delivery to bystanders throughout.
 * `npm run test:long` (SMQ_LONG=1) runs ten times as many. SMQ_FUZZ_SEED fixes every lane's choices
 * (how lanes interleave still varies); the findings print exact bytes to reproduce by hand.
 */
const LONG = process.env.SMQ_LONG === '1';
const TARGET = Number(process.env.SMQ_FUZZ_TARGET ?? (LONG ? 1_000_000 : 100_000));
// A cap, not a target: reaching 100,000 takes about 50 s alone, more beside another test worker.
const FUZZ_MS = LONG ? 15 * 60_000 : 180_000;
const SEED = Number(process.env.SMQ_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Fuzz connections open at once: half raw TCP, half WebSocket. */
const LANES: FuzzTransport[] = Array.from({ length: Number(process.env.SMQ_FUZZ_LANES ?? 24) }, (_, i) =>
  i % 2 === 0 ? 'raw' : 'ws',
);
const BYSTANDER_TOPIC = 'bystander/7c1e';
const BYSTANDER_TID = 0x5a5a5;
const FUZZ_TOPICS = Array.from({ length: 8 }, (_, i) => `fuzz/t${i}`);
const MAX_NAME = 512;

let n: RunningNode | undefined;
const errors: unknown[] = [];
const guard = (e: unknown): void => void errors.push(e);
afterEach(async () => {
  process.off('uncaughtException', guard);
  process.off('unhandledRejection', guard);
  await n?.close();
  n = undefined;
});

describe('fuzzing a live node over raw TCP and WebSocket', () => {
  it(
    `reads ${TARGET} mutated and random packets after valid handshakes, and bystanders get exactly the published sequence`,
    { timeout: FUZZ_MS + 30_000 },
    async () => {
      process.on('uncaughtException', guard);
      process.on('unhandledRejection', guard);
      const topics: Record<string, number> = { [BYSTANDER_TOPIC]: BYSTANDER_TID };
      FUZZ_TOPICS.forEach((name, i) => (topics[name] = 0x100 + i));
      n = await startNode({ topics, limits: { maxTopicNameLength: MAX_NAME } });
      const node = n.node;
      const rng = new Rng(SEED);
      console.log(`fuzz seed ${SEED} (replay with SMQ_FUZZ_SEED=${SEED})`);

      // Clean clients: a bystander and a publisher on each transport.
      const bystanders = [
        await Watcher.open(n.port, 'raw', Buffer.from('bystander-raw')),
        await Watcher.open(n.port, 'ws', Buffer.from('bystander-ws')),
      ];
      const pubs = [
        await Watcher.open(n.port, 'raw', Buffer.from('publisher-raw')),
        await Watcher.open(n.port, 'ws', Buffer.from('publisher-ws')),
      ];
      const clean = [...bystanders, ...pubs];
      for (const b of bystanders)
        expect(await b.request(PacketType.Subscribe, BYSTANDER_TOPIC)).toBe(BYSTANDER_TID);
      const subtid = await pubs[0]!.request(PacketType.Createsub, 'seq');
      expect(await pubs[1]!.request(PacketType.Createsub, 'seq')).toBe(subtid);
      const baseline = node.stats();
      expect(baseline).toMatchObject({ sessions: 4, handshaking: 0 });

      const tally = new Tally();
      const w: World = {
        node,
        port: n.port,
        tally,
        routable: new Routable(),
        live: new Map(),
        everEtids: new Set(clean.map((c) => c.etid)),
        observed: new Set(),
        topicNames: FUZZ_TOPICS,
        topicTids: FUZZ_TOPICS.map((_, i) => 0x100 + i),
        subtids: [subtid],
        window: 1,
        target: TARGET,
        deadline: Date.now() + FUZZ_MS,
        maxNameLength: MAX_NAME,
        closeReasons: new Map(),
      };
      node.on('sessionClose', (s, reason, detail) =>
        w.closeReasons.set(s.etid, `${reason} (${detail ?? ''}) after ${s.counters.msgsIn} packets in`),
      );
      const started = Date.now();
      let fuzzing = true;
      const sequence = publishSequence(pubs, BYSTANDER_TID, subtid, rng.fork(), w.routable, () => !fuzzing);
      await Promise.all(
        LANES.map((t) =>
          runLane(w, t, rng.fork()).catch((e: unknown) => tally.find('lane crashed', String(e))),
        ),
      );
      fuzzing = false;
      const sent = await sequence;
      const seconds = (Date.now() - started) / 1000;

      // Fuzz clients are gone: the node's tables are back to the baseline.
      await waitFor(() => node.stats().sessions === 4 && node.stats().handshaking === 0, {
        what: 'only the clean sessions left',
      });
      for (const c of clean) await c.sync();
      const stats = node.stats();
      console.log(
        `${tally.report()}\n` +
          `fuzzing took ${seconds.toFixed(1)} s; the clean publishers sent ${[...sent.values()].map((s) => s.length).join(' + ')} messages\n` +
          `node closes: ${JSON.stringify(stats.closes)}\n` +
          `findings: ${tally.findingSummary().join('; ') || 'none'}\n` +
          tally.findings.map((f) => `  ${f.kind}: ${f.detail}`).join('\n'),
      );

      expect.soft(errors.map(String), 'the node process threw').toEqual([]);
      expect
        .soft(tally.findingSummary(), tally.findings.map((f) => `${f.kind}: ${f.detail}`).join('\n'))
        .toEqual([]);
      expect.soft(tally.fuzzedReached).toBeGreaterThanOrEqual(TARGET);
      for (const t of TEMPLATES) expect.soft(tally.byTemplate.get(t)!.sent, t).toBeGreaterThan(0);

      // Bystanders: exactly the published sequence, in the same order on both, nothing else but
      // Publishes that fuzz clients really sent to the bystander topic or the bystander's ETID.
      const pubEtids = new Set(pubs.map((p) => p.etid));
      const order: string[][] = [];
      for (const c of clean) {
        const strays = c.got.filter(
          (p) =>
            !(p[0] === PacketType.Publish && p.length >= 13 && pubEtids.has(p.readUInt32BE(5))) &&
            !(
              p[0] === PacketType.Publish &&
              p.length >= 13 &&
              w.everEtids.has(p.readUInt32BE(5)) &&
              [BYSTANDER_TID, c.etid].includes(p.readUInt32BE(1)) &&
              w.routable.has(p)
            ),
        );
        expect.soft(strays.map(hex), `unexpected packets at the ${c.t} client ${c.etid}`).toEqual([]);
        expect.soft(c.pongs, 'Pongs only for Pings').toBe(c.pings);
        if (!bystanders.includes(c)) {
          expect.soft(c.got.filter((p) => pubEtids.has(p.readUInt32BE(5)))).toEqual([]);
          continue;
        }
        for (const [etid, packets] of sent) {
          const got = c.got.filter((p) => p[0] === PacketType.Publish && p.readUInt32BE(5) === etid);
          expect
            .soft(got.length, `messages from publisher ${etid} at the ${c.t} bystander`)
            .toBe(packets.length);
          const bad = got.findIndex((p, i) => !p.equals(packets[i]!));
          expect.soft(bad, `first wrong message from ${etid} at the ${c.t} bystander`).toBe(-1);
        }
        order.push(
          c.got.filter((p) => pubEtids.has(p.readUInt32BE(5))).map((p) => p.subarray(0, 24).toString('hex')),
        );
      }
      expect.soft(order[0]).toEqual(order[1]);

      expect.soft(stats).toMatchObject({ sessions: 4, handshaking: 0 });
      expect.soft(node.sessions().map((s) => s.state)).toEqual(['ready', 'ready', 'ready', 'ready']);
      const cleanEtids = new Set(clean.map((c) => c.etid));
      const lingering = [...w.everEtids].filter((e) => !cleanEtids.has(e) && node.sessionByEtid(e));
      expect.soft(lingering, 'fuzz ETIDs the node still routes to').toEqual([]);
      const subscribers = [...node.topics.names.entries()]
        .map(([tid]) => [tid, node.topics.count(tid)])
        .filter(([tid, count]) => count !== (tid === BYSTANDER_TID ? 2 : 0));
      expect.soft(subscribers, 'topics whose subscriber count is off the baseline [tid, count]').toEqual([]);
      const observers = [...w.observed, ...w.everEtids, ...w.topicTids]
        .map((id) => [id, node.observers.observerCount(id)])
        .filter(([, count]) => count !== 0);
      expect.soft(observers, 'ids still observed after every observer left [id, count]').toEqual([]);
      expect.soft(stats.closes.CorruptFrame).toBe(tally.disconnects.get('corrupt frame') ?? 0);
      expect.soft(stats.closes.Replaced).toBe(tally.replacements);
      expect.soft(tally.disconnects.get('reconnect') ?? 0).toBe(tally.replacements);

      // A fresh client on each transport connects and works.
      const fresh = [
        await Watcher.open(n.port, 'raw', Buffer.from('fresh-raw')),
        await Watcher.open(n.port, 'ws', Buffer.from('fresh-ws')),
      ];
      const tid = await fresh[0]!.request(PacketType.Subscribe, 'after/fuzz');
      expect(await fresh[1]!.request(PacketType.Subscribe, 'after/fuzz')).toBe(tid);
      const msgs = fresh.map((f) => encodePublish(tid, f.etid, 0, `round trip from ${f.t}`));
      fresh.forEach((f, i) => f.peer.send(msgs[i]!));
      for (const f of fresh) await f.sync();
      for (const f of fresh) expect(f.got.map(hex)).toEqual(msgs.map(hex));
      expect(node.topics.count(tid)).toBe(2);
    },
  );
});
