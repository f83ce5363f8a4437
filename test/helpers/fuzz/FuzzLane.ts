import { openFuzzPeer, type FuzzTransport } from './FuzzPeer.js';
import { Conn, type World } from './FuzzConn.js';
import { generate, mutate, type GenContext, type Template } from './packets.js';
import type { Rng } from './rng.js';

export type { World } from './FuzzConn.js';

const ENDINGS = ['destroy', 'halfClose', 'replace', 'terminal'] as const;

/** One fuzz lane: a connection at a time on one transport, reconnecting whenever the node closes it. */
export async function runLane(w: World, t: FuzzTransport, rng: Rng): Promise<void> {
  let conn: Conn | undefined;
  let next: Conn | undefined;
  try {
    while (!done(w)) {
      conn = next ?? (await connect(w, t, rng, rng.bytes(rng.int(6, 16))));
      next = undefined;
      await life(conn, rng);
      if (conn.peer.closed || done(w)) {
        conn.ending = 'closing';
        conn.peer.end();
        continue;
      }
      if (
        !(await conn.until(() => conn!.outstanding() === 0, 'barrier before the ending')) ||
        conn.peer.closed
      ) {
        await conn.peer.whenClosed;
        continue;
      }
      const ending = rng.pick(ENDINGS);
      if (ending === 'replace') next = await replace(w, conn, rng);
      else if (ending === 'terminal') {
        const tpl = rng.pick(['Publish→self', 'Subscribe', 'Observe', 'random'] as const);
        const p = generate(tpl, ctx(conn, rng))[0]!;
        if (conn.t === 'raw') conn.sendLengthLie(tpl, p, rng);
        else conn.sendText(tpl, p);
        conn.ending = 'closing';
        conn.peer.halfClose();
      } else {
        conn.ending = 'closing';
        if (ending === 'halfClose') conn.peer.halfClose();
        else conn.peer.end();
      }
      await conn.until(() => false, 'close after the ending');
    }
  } finally {
    // Also when the lane throws (reported as 'lane crashed'): a peer left open keeps its session on
    // the node, and the baseline check would blame the node for it.
    for (const c of [conn, next]) {
      if (c && !c.peer.closed) {
        c.ending = 'closing';
        c.peer.end();
      }
    }
  }
}

function done(w: World): boolean {
  return w.tally.fuzzedReached >= w.target || Date.now() > w.deadline;
}

async function connect(w: World, t: FuzzTransport, rng: Rng, uid: Buffer): Promise<Conn> {
  const peer = await openFuzzPeer(w.port, t, rng.chance(0.2));
  const etid = await peer.handshake(uid);
  w.tally.connections++;
  w.everEtids.add(etid);
  const conn = new Conn(w, peer, uid, etid);
  w.live.set(etid, conn);
  return conn;
}

/** Duplicate uid (session rule 2): the old connection gets Disconnect "reconnect", the new its ETID. */
async function replace(w: World, old: Conn, rng: Rng): Promise<Conn> {
  old.ending = 'replace';
  const conn = await connect(w, rng.pick(['raw', 'ws'] as const), rng, old.uid);
  w.tally.replacements++;
  if (conn.etid !== old.etid) conn.find('a duplicate uid did not get the old ETID', `old ${old.etid}`);
  if (await old.until(() => false, 'close of the replaced connection'))
    if (old.disconnects.at(-1) !== 'reconnect')
      old.find('replaced without Disconnect "reconnect"', old.repro());
  return conn;
}

function ctx(conn: Conn, rng: Rng): GenContext {
  const w = conn.w;
  return {
    rng,
    transport: conn.t,
    etid: conn.etid,
    topicNames: w.topicNames,
    topicTids: w.topicTids,
    subtids: w.subtids,
    subscribed: [...conn.subs],
    otherEtid: () => {
      const ids = [...w.live.keys()].filter((e) => e !== conn.etid);
      return ids.length > 0 ? rng.pick(ids) : undefined;
    },
  };
}

const WEIGHTS: readonly (readonly [number, Template])[] = [
  [10, 'Subscribe'],
  [7, 'Create'],
  [6, 'Createsub'],
  [12, 'Publish→topic'],
  [8, 'Publish→etid'],
  [6, 'Publish→self'],
  [2, 'Publish(wrong publisher)'],
  [6, 'PubFrag'],
  [7, 'Unsubscribe'],
  [8, 'Observe'],
  [6, 'Unobserve'],
  [6, 'Ping'],
  [5, 'Pong'],
  [1, 'Disconnect'],
  [1, 'Connect(after handshake)'],
  [2, 'random'],
];

/** Sends up to a few hundred packets on one connection, `window` in flight, until it is closed. */
async function life(conn: Conn, rng: Rng): Promise<void> {
  const w = conn.w;
  const n = rng.int(1, 400);
  for (let i = 0; i < n && !conn.peer.closed && !done(w); i++) {
    let tpl = rng.weighted(WEIGHTS);
    if (tpl === 'PubFrag' && conn.t === 'ws' && rng.chance(0.8)) tpl = 'Publish→topic';
    const c = ctx(conn, rng);
    const packets = generate(tpl, c);
    const victim = tpl === 'random' ? 0 : rng.chance(0.7) ? rng.int(0, packets.length - 1) : -1;
    for (let k = 0; k < packets.length && !conn.peer.closed; k++) {
      const m = k === victim && tpl !== 'random' ? mutate(packets[k]!, c) : undefined;
      await conn.send(
        tpl,
        tpl === 'random' ? 'random' : (m?.mutation ?? 'none'),
        m?.bytes ?? packets[k]!,
        rng,
      );
      if (!(await conn.until(() => conn.outstanding() < w.window, 'window'))) return;
    }
  }
}
