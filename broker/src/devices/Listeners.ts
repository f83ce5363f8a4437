/** By default a listener's error is thrown again outside the emitter: not hidden, not in its way. */
function rethrowLater(err: unknown): void {
  queueMicrotask(() => {
    throw err;
  });
}

/**
 * A tiny listener set (no EventEmitter: the display model runs in browsers too). A listener that
 * throws never stops the others, nor the device or model emitting; `onerror` gets its error.
 */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  constructor(private readonly onerror: (err: unknown) => void = rethrowLater) {}

  /** Adds a listener; returns the function that removes it. */
  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => void this.set.delete(listener);
  }

  emit(value: T): void {
    for (const l of this.set) {
      try {
        l(value);
      } catch (err) {
        this.onerror(err);
      }
    }
  }

  get size(): number {
    return this.set.size;
  }

  clear(): void {
    this.set.clear();
  }
}
