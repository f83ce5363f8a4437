import WebSocket from 'ws';
import { HostCallError, type HostApi } from '../../../contract/hostContract.js';
import type { ControlHost } from '../../../electron/host/control/ControlHost.js';
import { HostServer } from '../../../electron/host/HostServer.js';
import { HostClient, type HostSocket } from '../../../renderer/src/host/HostClient.js';
import { fixtureRenderer, login } from './host.js';

/** How a contract suite reaches the host. */
export interface HostUnderTest {
  api: HostApi;
  close(): Promise<void>;
}

/** The contract called directly on one connection of the host; errors as the renderer sees them. */
export async function direct(host: ControlHost): Promise<HostUnderTest> {
  const connection = host.connect();
  const api: HostApi = {
    call: (cmd, args) =>
      connection.call(cmd, args).catch((e: { code: never; message: string }) => {
        throw new HostCallError({ code: e.code, message: e.message });
      }),
    subscribe: (listener) => connection.subscribe(listener),
  };
  return { api, close: async () => connection.close() };
}

/** The contract through HostServer (cookie, Origin) and the renderer's HostClient. */
export async function overWebSocket(host: ControlHost): Promise<HostUnderTest> {
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
}
