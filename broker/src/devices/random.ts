/** Random in [0, 1): injectable so tests pin uids, URL order, jitter and drift. */
export type Random = () => number;

/**
 * A small seeded generator (mulberry32): the same seed gives the same fleet, spread and drift, so
 * a test or a `--seed` run can be repeated. Not for anything secret.
 */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
