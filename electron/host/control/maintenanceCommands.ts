import { isIP } from 'node:net';
import {
  isHostName,
  type CommandArgs,
  type CommandName,
  type CommandResult,
  type HostAddress,
} from '../../../contract/hostContract.js';
import type { ActiveCluster } from './ActiveCluster.js';
import { bindableHost, hostAddresses } from './hostAddresses.js';
import { hostError } from './hostError.js';
import type { CertificateStore } from './SelfSignedCert.js';
import { servedFingerprint } from './servedCertificate.js';

/** Handlers of some of the contract's commands. */
export type CommandHandlers<K extends CommandName> = {
  [C in K]: (args: CommandArgs<C>) => Promise<CommandResult<C>>;
};

type MaintenanceCommand =
  'drainNode' | 'cancelDrain' | 'listAddresses' | 'generateCertificate' | 'certificateStatus' | 'bindNode';

/** More names than any real deployment lists; keeps a certificate (and its signing) small. */
const MAX_CERTIFICATE_HOSTS = 64;

/**
 * A host a certificate may name: an IP address of this machine (a node can only serve there), or
 * a host name, lowercased (whoever resolves it decides where it points, so any well-formed name).
 */
export function certificateHost(host: unknown, addresses: readonly HostAddress[]): string {
  if (typeof host === 'string' && isIP(host.trim()) !== 0) return bindableHost(host.trim(), addresses);
  const name = typeof host === 'string' ? host.trim().toLowerCase() : '';
  if (isHostName(name)) return name;
  throw hostError({
    code: 'BadArguments',
    message: `${String(host)} is neither a host name nor an IP address`,
  });
}

/** What the handlers work on, read at each call (the host builds them before its own fields). */
export interface MaintenanceDeps {
  cluster: ActiveCluster;
  certificates: CertificateStore;
}

/**
 * Node maintenance: drains, the addresses a local node binds to, and the certificate of local TLS
 * nodes, kept covering every address a node of the running TLS cluster is bound to.
 */
export function maintenanceCommands(deps: () => MaintenanceDeps): CommandHandlers<MaintenanceCommand> {
  /** Addresses the running local TLS cluster's nodes are bound to (none without TLS). */
  const tlsBound = (cluster: ActiveCluster): string[] => {
    if (!cluster.servesHostCertificate) return [];
    return cluster
      .local()
      .placements()
      .map((p) => p.host);
  };
  return {
    drainNode: async ({ nodeId, batch, intervalMs }) => {
      await deps().cluster.need().drain(nodeId, { batch, intervalMs });
      return null;
    },
    cancelDrain: async ({ nodeId }) => (await deps().cluster.need().admin(nodeId).cancelDrain(), null),
    listAddresses: async () => hostAddresses(),
    generateCertificate: async ({ hosts = [] }) => {
      if (!Array.isArray(hosts) || hosts.length > MAX_CERTIFICATE_HOSTS)
        throw hostError({
          code: 'BadArguments',
          message: `hosts must be a list of up to ${MAX_CERTIFICATE_HOSTS} names and addresses`,
        });
      const addresses = hostAddresses();
      const asked = hosts.map((h) => certificateHost(h, addresses));
      const { cluster, certificates } = deps();
      return certificates.generate([...asked, ...tlsBound(cluster)]);
    },
    certificateStatus: async () => {
      const { cluster, certificates } = deps();
      // A query: a missing certificate is reported (null), made only by generateCertificate or a TLS start.
      const certificate = await certificates.stored();
      const up = !cluster.servesHostCertificate
        ? []
        : cluster
            .local()
            .nodes()
            .filter((n) => n.state === 'up');
      const nodes = await Promise.all(
        up.map(async (n) => {
          const fingerprint256 = await servedFingerprint(n.host, n.port);
          return { nodeId: n.id, fingerprint256, current: fingerprint256 === certificate?.fingerprint256 };
        }),
      );
      return { certificate, nodes };
    },
    bindNode: async ({ nodeId, host }) => {
      const { cluster, certificates } = deps();
      const local = cluster.local();
      const address = bindableHost(host);
      // The node restarts with the certificate file: it must name the address clients will dial.
      if (cluster.servesHostCertificate) await certificates.covering(address);
      await local.bind(nodeId, address);
      await cluster.save();
      return null;
    },
  };
}
