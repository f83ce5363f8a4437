import { SmqNode, NodeServer, type NodeOptions, type ListenOptions } from '../../broker/src/index.js';

export interface RunningNode {
  node: SmqNode;
  server: NodeServer;
  port: number;
  close(): Promise<void>;
}

/** A real node on 127.0.0.1, port 0 (the OS picks; never "find a free port, then bind"). */
export async function startNode(options: NodeOptions = {}, listen: ListenOptions = {}): Promise<RunningNode> {
  const node = new SmqNode(options);
  const server = new NodeServer(node, listen);
  const { port } = await server.listen();
  return { node, server, port, close: () => server.close() };
}
