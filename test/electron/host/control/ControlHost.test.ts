import { describe } from 'vitest';
import { HostCallError, type HostApi } from '../../../../contract/hostContract.js';
import { contractSuite } from './contractSuite.js';

describe('the contract, called directly on the host', () => {
  contractSuite(async (host) => {
    const api: HostApi = {
      call: (cmd, args) =>
        host.call(cmd, args).catch((e: { code: never; message: string }) => {
          throw new HostCallError({ code: e.code, message: e.message });
        }),
      subscribe: (listener) => host.subscribe(listener),
    };
    return { api, close: async () => undefined };
  });
});
