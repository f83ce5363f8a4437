import path from 'node:path';
import type { HostApi } from '../../contract/hostContract.js';
import { HostServer } from '../../electron/host/HostServer.js';
import { shared } from '../electron/helpers/host.js';

export interface ServedRenderer {
  /** The launch URL (with the token): the page trades it for its cookie. */
  url: string;
  close(): Promise<void>;
}

/**
 * dist/renderer served by the real host server (its CSP, cookie and Origin checks) for any HostApi.
 * `nodeOrigins` enter the page's connect-src (the fake nodes' origins, for a view that opens an
 * SMQ client to a node: else the CSP guard reloads the page).
 */
export async function serveRenderer(
  api: HostApi,
  root = path.resolve('dist/renderer'),
  nodeOrigins: readonly string[] = [],
): Promise<ServedRenderer> {
  const server = new HostServer({
    connect: shared(api),
    rendererDir: root,
    nodeOrigins: () => nodeOrigins,
    log: () => {},
  });
  const { launchUrl } = await server.listen();
  return { url: launchUrl, close: () => server.close() };
}
