import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ClusterTransport, FleetSpread, NodeId } from '../../../contract/hostContract.js';

type FleetProfile = { namePrefix: string; count: number; spread: FleetSpread };

/** A local cluster as saved in the app's data folder, and restored on the next start. */
export interface LocalProfile {
  /** Absent in profiles saved before remote clusters existed. */
  kind?: 'local';
  name: string;
  secret: string;
  /** `host`: the address a node was bound to on request; absent means 127.0.0.1 (and in older profiles). */
  nodes: { id: NodeId; port: number; host?: string }[];
  fleets: FleetProfile[];
  /** Nodes serve https:// and wss:// with the host's self-signed certificate; absent means plain. */
  tls?: boolean;
  /** Absent means 'mesh'. On 'nats' the profile's name is the cluster's name on NATS. */
  transport?: ClusterTransport;
  /** The user's NATS URL(s) and token; without a URL the host runs a local nats-server. */
  natsUrl?: string;
  natsToken?: string;
}

/** A remote cluster: its nodes' URLs (with the ids the app gave them) and the admin token. */
export interface RemoteProfile {
  kind: 'remote';
  name: string;
  adminToken: string;
  nodes: { id: NodeId; url: string }[];
  /** The host's own simulated devices, connected to the remote nodes. */
  fleets: FleetProfile[];
}

export type ClusterProfile = LocalProfile | RemoteProfile;

const LAST = 'last-profile.json';

/**
 * Profiles as JSON files under `<dataDir>/profiles/`, mode 0600 in a 0700 folder: they hold the
 * cluster secret (local) or the admin token (remote).
 */
export class ProfileStore {
  constructor(private readonly dataDir: string) {}

  async save(p: ClusterProfile): Promise<void> {
    const dir = path.join(this.dataDir, 'profiles');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(path.join(dir, fileName(p.name)), JSON.stringify(p, null, 2) + '\n', { mode: 0o600 });
    await writeFile(path.join(this.dataDir, LAST), JSON.stringify({ name: p.name }) + '\n', { mode: 0o600 });
  }

  /** Forgets which profile was active (the profile file stays). */
  async clearLast(): Promise<void> {
    await writeFile(path.join(this.dataDir, LAST), JSON.stringify({ name: null }) + '\n', { mode: 0o600 });
  }

  /** The profile active when the app last ran, if any. */
  async last(): Promise<ClusterProfile | undefined> {
    try {
      const { name } = JSON.parse(await readFile(path.join(this.dataDir, LAST), 'utf8')) as {
        name: string | null;
      };
      if (!name) return undefined;
      return JSON.parse(
        await readFile(path.join(this.dataDir, 'profiles', fileName(name)), 'utf8'),
      ) as ClusterProfile;
    } catch {
      return undefined;
    }
  }
}

function fileName(name: string): string {
  return `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`;
}
