import type { LoadSpec, LoadView } from '../../../contract/hostContract.js';

/** Load runs (publishers × subscribers) against the cluster, one at a time per id. */
export class LoadRunner {
  constructor(private readonly changed: (load: LoadView) => void) {}
  start(_spec: LoadSpec, _urls: string[]): string {
    return '';
  }
  close(): void {}
}
