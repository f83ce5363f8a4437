/** Random in [0, 1): injectable so tests can pin the order and the jitter. */
export type Random = () => number;

/**
 * Exponential backoff with jitter: min * 2^failures, capped, then scaled by a random factor in
 * [0.5, 1] so clients dropped together by one node do not all return at the same instant.
 */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly random: Random = Math.random,
  ) {}

  next(): number {
    const ceiling = Math.min(this.maxMs, this.minMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return Math.round(ceiling * (0.5 + this.random() / 2));
  }

  reset(): void {
    this.failures = 0;
  }
}

/**
 * Picks broker URLs like DNS round robin: each round visits every URL once in a fresh random order,
 * so a dead URL costs one attempt per round and a live one is always reached within a round.
 */
export class UrlRotation {
  private order: string[] = [];
  private urls: readonly string[];

  constructor(
    urls: readonly string[],
    private readonly random: Random = Math.random,
  ) {
    if (urls.length === 0) throw new RangeError('at least one broker URL is needed');
    this.urls = [...urls];
  }

  next(): string {
    if (this.order.length === 0) this.order = shuffle(this.urls, this.random);
    return this.order.pop()!;
  }

  /**
   * Takes a new URL list (nodes moved, came or went); the next pick starts a fresh round over it.
   * False when it holds the same URLs as before: nothing changes then.
   */
  replace(urls: readonly string[]): boolean {
    if (urls.length === 0) throw new RangeError('at least one broker URL is needed');
    const same = urls.length === this.urls.length && urls.every((u) => this.urls.includes(u));
    if (same) return false;
    this.urls = [...urls];
    this.order = [];
    return true;
  }
}

function shuffle(items: readonly string[], random: Random): string[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
