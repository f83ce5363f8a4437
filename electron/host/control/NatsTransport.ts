import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { NatsServerView, NodeView } from '../../../contract/hostContract.js';
import { hostError } from './hostError.js';
import { findNatsServer, NatsServerProcess } from './NatsServerProcess.js';
import { NatsSupervisor } from './NatsSupervisor.js';
import { externalServerView } from './natsView.js';

/** How a node joins the cluster over NATS (smq-node --nats, --cluster, --nats-token-file). */
export interface NodeNatsOptions {
  /** Read at each node start: a local server that had to move to another port changes it. */
  url: string;
  cluster: string;
  tokenFile?: string;
}

export interface NatsTransportOptions {
  /** The cluster's name on NATS (the profile's name). */
  cluster: string;
  /** The user's NATS URL(s); absent: the host runs a local nats-server. */
  url?: string;
  /** The user's token for that URL, if it needs one. */
  token?: string;
  /** The host's NATS folder: the local server's config, token and ports file. */
  dir: string;
  execPath: string;
  log(level: 'info' | 'warn', message: string): void;
  /** The local server's state changed. */
  changed(): void;
  /** The local server restarted on another port (its own was taken): running nodes must restart. */
  moved(): void;
}

/**
 * The NATS side of a local NATS cluster: the nats-server the host runs (started here, restarted
 * when it dies, stopped with the cluster), or the URL the user gave. Either way nodes get the
 * token as a 0600 file.
 */
export class NatsTransport {
  private constructor(
    readonly node: NodeNatsOptions,
    private readonly server: NatsSupervisor | undefined,
  ) {}

  static async open(o: NatsTransportOptions): Promise<NatsTransport> {
    if (o.url !== undefined) {
      let tokenFile: string | undefined;
      if (o.token) {
        await mkdir(o.dir, { recursive: true, mode: 0o700 });
        tokenFile = path.join(o.dir, 'external-token');
        await writeFile(tokenFile, `${o.token}\n`, { mode: 0o600 });
        await chmod(tokenFile, 0o600);
      }
      return new NatsTransport({ url: o.url, cluster: o.cluster, tokenFile }, undefined);
    }
    const bin = findNatsServer();
    if (!bin) throw hostError({ code: 'NatsUnavailable', message: 'nats-server is not installed' });
    const proc = new NatsServerProcess({
      bin,
      dir: path.join(o.dir, 'server'),
      execPath: o.execPath,
      log: o.log,
    });
    const server = new NatsSupervisor(proc, o.log);
    server.on('state', o.changed);
    try {
      await server.start();
    } catch (err) {
      throw hostError({ code: 'NatsUnavailable', message: `nats-server: ${(err as Error).message}` });
    }
    o.log('info', `nats-server listening on ${proc.url} (pid ${proc.pid})`);
    const transport = new NatsTransport(
      { url: proc.url, cluster: o.cluster, tokenFile: proc.tokenFile },
      server,
    );
    server.on('moved', (url) => {
      o.log('warn', `nats-server moved to ${url}: restarting the nodes onto it`);
      transport.node.url = url;
      o.moved();
    });
    return transport;
  }

  view(nodes: readonly NodeView[]): NatsServerView {
    return this.server ? this.server.view() : externalServerView(this.node.url, nodes);
  }

  async close(): Promise<void> {
    await this.server?.stop();
  }
}
