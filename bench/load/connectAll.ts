import type { Conn } from './conn.js';

/** Opens n connections, at most `concurrency` handshakes at a time. */
export async function connectAll(
  n: number,
  concurrency: number,
  make: (i: number) => Promise<Conn>,
): Promise<Conn[]> {
  const out = new Array<Conn>(n);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      out[i] = await make(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return out;
}
