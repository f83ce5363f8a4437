/**
 * A clock that moves every COARSE_MS: reading it is a variable load, where Date.now() per publish
 * would cost tens of nanoseconds. For sampling on the hot path, never for timestamps.
 */
export const COARSE_MS = 100;

export let coarseTick = 0;

setInterval(() => {
  coarseTick++;
}, COARSE_MS).unref();
