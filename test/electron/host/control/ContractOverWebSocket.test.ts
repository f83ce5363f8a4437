import { describe } from 'vitest';
import WebSocket from 'ws';
import { HostServer } from '../../../../electron/host/HostServer.js';
import { HostClient, type HostSocket } from '../../../../renderer/src/host/HostClient.js';
import { fixtureRenderer, login } from '../../helpers/host.js';
import { contractSuite } from './contractSuite.js';

describe('the contract, through the host WebSocket and the renderer’s HostClient', () => {
  contractSuite(async (host) => {
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
