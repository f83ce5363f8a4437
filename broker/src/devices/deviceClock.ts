/** Runs the temperature drift; injectable so tests step it by hand. */
export interface DeviceClock {
  /** Calls `fn` every `ms` until the returned function is called. */
  every(ms: number, fn: () => void): () => void;
}

export const realClock: DeviceClock = {
  every(ms, fn) {
    const t = setInterval(fn, ms);
    // The drift alone never keeps a process alive; the device's socket does.
    t.unref();
    return () => clearInterval(t);
  },
};
