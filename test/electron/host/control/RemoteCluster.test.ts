import { describe } from 'vitest';
import WebSocket from 'ws';
import { HostCallError, type HostApi } from '../../../../contract/hostContract.js';
import { HostServer } from '../../../../electron/host/HostServer.js';
import { HostClient, type HostSocket } from '../../../../renderer/src/host/HostClient.js';
import { fixtureRenderer, login } from '../../helpers/host.js';
import { remoteSuite } from './remoteSuite.js';

describe('a remote cluster, through the contract called directly on the host', () => {
  remoteSuite(async (host) => {
    const connection = host.connect();
    const api: HostApi = {
      call: (cmd, args) =>
        connection.call(cmd, args).catch((e: { code: never; message: string }) => {
          throw new HostCallError({ code: e.code, message: e.message });
        }),
      subscribe: (listener) => connection.subscribe(listener),
    };
    return { api, close: async () => connection.close() };
  });
});

describe('a remote cluster, through the host WebSocket and the renderer’s HostClient', () => {
  remoteSuite(async (host) => {
    const server = new HostServer({
      connect: (o) => host.connect(o),
      rendererDir: fixtureRenderer(),
      nodeOrigins: () => host.nodeOrigins(),
    });
    const { origin, launchUrl, port } = await server.listen();
    const { cookie } = await login(launchUrl);
    const api = new HostClient({
      url: `ws://127.0.0.1:${port}/host`,
      socket: (url) => new WebSocket(url, { headers: { cookie, origin } }) as unknown as HostSocket,
    });
    return {
      api,
      close: async () => {
        api.close();
        await server.close();
      },
    };
  });
});
