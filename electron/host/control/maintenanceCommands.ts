import type { CommandArgs, CommandName, CommandResult } from '../../../contract/hostContract.js';
import type { ActiveCluster } from './ActiveCluster.js';
import { bindableHost, hostAddresses } from './hostAddresses.js';
import { hostError } from './hostError.js';
import type { CertificateStore } from './SelfSignedCert.js';

/** Handlers of some of the contract's commands. */
export type CommandHandlers<K extends CommandName> = {
  [C in K]: (args: CommandArgs<C>) => Promise<CommandResult<C>>;
};

type MaintenanceCommand = 'drainNode' | 'cancelDrain' | 'listAddresses' | 'generateCertificate' | 'bindNode';

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
    if (cluster.ca === undefined) return [];
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
      if (!Array.isArray(hosts))
        throw hostError({ code: 'BadArguments', message: 'hosts must be a list of addresses' });
      const addresses = hostAddresses();
      const asked = hosts.map((h) => bindableHost(h, addresses));
      const { cluster, certificates } = deps();
      return certificates.generate([...asked, ...tlsBound(cluster)]);
    },
    bindNode: async ({ nodeId, host }) => {
      const { cluster, certificates } = deps();
      const local = cluster.local();
      const address = bindableHost(host);
      // The node restarts with the certificate file: it must name the address clients will dial.
      if (cluster.ca !== undefined) await certificates.covering(address);
      await local.bind(nodeId, address);
      await cluster.save();
      return null;
    },
  };
}
