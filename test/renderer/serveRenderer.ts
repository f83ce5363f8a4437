import path from 'node:path';
import type { HostApi } from '../../contract/hostContract.js';
import { HostServer } from '../../electron/host/HostServer.js';
import { shared } from '../electron/helpers/host.js';

export interface ServedRenderer {
  /** The launch URL (with the token): the page trades it for its cookie. */
  url: string;
  close(): Promise<void>;
}

/** dist/renderer served by the real host server (its CSP, cookie and Origin checks) for any HostApi. */
export async function serveRenderer(
  api: HostApi,
  root = path.resolve('dist/renderer'),
): Promise<ServedRenderer> {
  const server = new HostServer({
    connect: shared(api),
    rendererDir: root,
    nodeOrigins: () => [],
    log: () => {},
  });
  const { launchUrl } = await server.listen();
  return { url: launchUrl, close: () => server.close() };
}
