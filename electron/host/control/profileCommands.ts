import { randomBytes } from 'node:crypto';
import type { ActiveCluster } from './ActiveCluster.js';
import { hostError } from './hostError.js';
import type { CommandHandlers } from './maintenanceCommands.js';
import { findNatsServer } from './NatsServerProcess.js';
import { natsProfile } from './natsArgs.js';
import { sameProfile, type ProfileStore } from './ProfileStore.js';
import { attachArgs, probeRemote, readCaFile } from './remoteNodes.js';

type ProfileCommand = 'createCluster' | 'attachCluster' | 'listProfiles' | 'openProfile' | 'deleteProfile';

export const MAX_NODES = 16;

/** What the handlers work on, read at each call (the host builds them before its own fields). */
export interface ProfileDeps {
  cluster: ActiveCluster;
  store: ProfileStore;
  /** Runs `start` unless a cluster exists or another one is starting: ClusterExists then. */
  startAlone<T>(start: () => Promise<T>): Promise<T>;
}

/** A profile name as given (trimmed); its file is named after it (see profileKey). */
function profileName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 64)
    throw hostError({ code: 'BadArguments', message: 'profile must be a name of 1 to 64 characters' });
  return name.trim();
}

/**
 * The name a new cluster's profile is saved under: `profile`, or the first free one of `base`,
 * `base-2` …; a name saved already (in the same file) only with `replace`.
 */
async function newProfileName(
  store: ProfileStore,
  profile: unknown,
  base: string,
  replace: boolean | undefined,
): Promise<string> {
  if (profile === undefined) return store.freeName(base);
  const name = profileName(profile);
  const saved = replace === true ? undefined : await store.load(name);
  if (saved)
    throw hostError({ code: 'ProfileExists', message: `a profile named "${saved.name}" is saved already` });
  return name;
}

/**
 * Starting the one cluster from a new or a saved profile (local nodes, or a remote cluster's), and
 * the saved profiles themselves. Starts are one at a time: a second Create while the first one's
 * nodes start is ClusterExists, never a second cluster whose nodes nobody stops.
 */
export function profileCommands(deps: () => ProfileDeps): CommandHandlers<ProfileCommand> {
  return {
    createCluster: ({ nodes, secret, profile, replace, tls, ...transport }) =>
      deps().startAlone(async () => {
        if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES)
          throw hostError({ code: 'BadArguments', message: `nodes must be 1..${MAX_NODES}` });
        if (secret !== undefined && secret.length < 16)
          throw hostError({ code: 'BadSecret', message: 'the cluster secret needs 16 or more characters' });
        const { cluster, store } = deps();
        await cluster.startLocal({
          kind: 'local',
          name: await newProfileName(store, profile, 'local', replace),
          secret: secret ?? randomBytes(24).toString('hex'),
          nodes: Array.from({ length: nodes }, (_, i) => ({ id: `n${i + 1}`, port: 0 })),
          fleets: [],
          ...(tls === true ? { tls } : {}),
          ...natsProfile(transport, findNatsServer),
        });
        return cluster.snapshot();
      }),
    attachCluster: ({ urls, adminToken, profile, replace, caFile }) =>
      deps().startAlone(async () => {
        const { cluster, store } = deps();
        const { origins, token } = attachArgs(urls, adminToken);
        const name = await newProfileName(store, profile, 'remote', replace);
        const ca = caFile === undefined ? undefined : { pem: await readCaFile(caFile), file: caFile.trim() };
        const nodes = await probeRemote(origins, token, ca?.pem);
        await cluster.attach({
          kind: 'remote',
          name,
          adminToken: token,
          nodes,
          fleets: [],
          ...(ca && { ca }),
        });
        return cluster.snapshot();
      }),
    listProfiles: async () => {
      const { cluster, store } = deps();
      return store.list(cluster.profileName);
    },
    openProfile: ({ name }) =>
      deps().startAlone(async () => {
        const { cluster, store } = deps();
        const p = await store.load(profileName(name));
        if (!p) throw hostError({ code: 'NoSuchProfile', message: `no saved profile "${String(name)}"` });
        await cluster.open(p);
        return cluster.snapshot();
      }),
    deleteProfile: async ({ name }) => {
      const { cluster, store } = deps();
      const profile = profileName(name);
      const active = cluster.profileName;
      // Compared as files: "lab remote" would delete the running "lab_remote"'s secret.
      if (active !== undefined && sameProfile(profile, active))
        throw hostError({ code: 'ProfileActive', message: `"${active}" is the running cluster’s profile` });
      if (!(await store.delete(profile)))
        throw hostError({ code: 'NoSuchProfile', message: `no saved profile "${profile}"` });
      return store.list(cluster.profileName);
    },
  };
}
