/** Progress on stderr, stamped with the seconds since the run started. */
export const log = (msg: string): void => void process.stderr.write(`[bench ${elapsed()}] ${msg}\n`);
export const started = Date.now();
export const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(0)}s`;
