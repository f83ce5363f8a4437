type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/** Polls `fn` until it returns a truthy value or the deadline passes; never a blind sleep. */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  {
    timeout = 5000,
    interval = 10,
    what = 'condition',
  }: { timeout?: number; interval?: number; what?: string } = {},
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}
