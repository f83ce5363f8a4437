/**
 * The id space shared by TIDs and ETIDs (SMQ-PROTOCOL.md "Identifiers"), split by bits:
 *
 *   0              never assigned
 *   1              ETID of the node's own server-side client (local to each node)
 *   2 .. 0xFFFFF   TIDs (fixed TIDs 2, 3, 4 ... included): no ETID can take them
 *   prefix:12 | counter:20   ETIDs, prefix 1..4095 = the node incarnation, counter 1..0xFFFFF;
 *                            counter 0 is the server client's cluster-wide ETID (ETID 1 locally)
 *
 * The prefix is random and new on every start of a node, so ETIDs are unique across a cluster
 * (clashes are settled at the link handshake) and a stale command never reaches a new device.
 * Within an incarnation a counter value is never reused. When the counter runs out, the node
 * moves to a fresh prefix (never one it used before, nor one a linked peer uses: `avoid`) and goes
 * on: existing ETIDs keep theirs, new ones take the new prefix; the cluster announces it to peers.
 */
export const MAX_TID = 0xfffff;
export const ETID_COUNTER_BITS = 20;
const COUNTER_SPAN = 2 ** ETID_COUNTER_BITS;
const MAX_COUNTER = COUNTER_SPAN - 1;
const MAX_PREFIX = 0xfff;

export function etidPrefixOf(etid: number): number {
  return Math.floor(etid / COUNTER_SPAN);
}

export function isTidRange(id: number): boolean {
  return id >= 2 && id <= MAX_TID;
}

export class EtidAllocator {
  private counter = 0;
  private readonly usedPrefixes = new Set<number>();
  private current: number;
  private incarnation: number;

  /** Prefixes of the rest of the cluster, which a new prefix must not take (set by the cluster). */
  avoid: () => ReadonlySet<number> = () => new Set();

  constructor(
    prefix: number = randomPrefix(),
    private readonly onPrefix: (prefix: number, why: 'exhausted' | 'clash') => void = () => {},
  ) {
    if (!Number.isInteger(prefix) || prefix < 1 || prefix > MAX_PREFIX) {
      throw new RangeError(`ETID prefix must be 1..${MAX_PREFIX}, got ${prefix}`);
    }
    this.current = prefix;
    this.incarnation = prefix;
    this.usedPrefixes.add(prefix);
  }

  /** The server client's cluster-unique ETID: the incarnation prefix with counter 0, which no client gets. */
  get serverEtid(): number {
    return this.incarnation * COUNTER_SPAN;
  }

  get prefix(): number {
    return this.current;
  }

  /** Every prefix this incarnation has issued ETIDs under. */
  get prefixes(): ReadonlySet<number> {
    return this.usedPrefixes;
  }

  /** Whether any client ETID was ever issued (a prefix can only be re-picked before that). */
  get issuedAny(): boolean {
    return this.counter > 0 || this.usedPrefixes.size > 1;
  }

  next(): number {
    if (this.counter === MAX_COUNTER) this.moveTo(this.freshPrefix(this.avoid()), 'exhausted');
    this.counter += 1;
    return this.current * COUNTER_SPAN + this.counter;
  }

  /** Picks a new prefix not in `taken` and not used before (a clash found before any client). */
  repick(taken: ReadonlySet<number>): number {
    const abandoned = this.counter === 0 ? this.current : undefined;
    this.moveTo(this.freshPrefix(taken), 'clash');
    // Nothing was issued under the old prefix: it is not ours to announce any more.
    if (abandoned !== undefined) this.usedPrefixes.delete(abandoned);
    this.incarnation = this.current;
    return this.current;
  }

  private moveTo(prefix: number, why: 'exhausted' | 'clash'): void {
    this.current = prefix;
    this.counter = 0;
    this.usedPrefixes.add(prefix);
    this.onPrefix(prefix, why);
  }

  private freshPrefix(taken: ReadonlySet<number>): number {
    if (this.usedPrefixes.size + taken.size >= MAX_PREFIX) throw new RangeError('ETID prefixes exhausted');
    for (;;) {
      const p = randomPrefix();
      if (!this.usedPrefixes.has(p) && !taken.has(p)) return p;
    }
  }
}

function randomPrefix(): number {
  return 1 + Math.floor(Math.random() * MAX_PREFIX);
}
