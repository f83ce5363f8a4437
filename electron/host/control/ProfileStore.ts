import { mkdir, readFile, readdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  nextProfileName,
  profileKey,
  type ClusterTransport,
  type FleetSpread,
  type NodeId,
  type ProfileView,
} from '../../../contract/hostContract.js';

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
  /** What its nodes reported when last seen up; absent when none ever answered. */
  transport?: ClusterTransport;
  /** The CA the user gave to verify the nodes' TLS certificates (PEM, and the file it came from). */
  ca?: { pem: string; file: string };
}

export type ClusterProfile = LocalProfile | RemoteProfile;

const LAST = 'last-profile.json';
const PROFILES = 'profiles';

/**
 * Profiles as JSON files under `<dataDir>/profiles/`, mode 0600 in a 0700 folder: they hold the
 * cluster secret (local) or the admin token (remote), so deleting a profile deletes its secret.
 */
export class ProfileStore {
  constructor(private readonly dataDir: string) {}

  async save(p: ClusterProfile): Promise<void> {
    const dir = path.join(this.dataDir, PROFILES);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(this.file(p.name), JSON.stringify(p, null, 2) + '\n', { mode: 0o600 });
    await this.setLast(p.name);
  }

  /** Forgets which profile was active (the profile file stays). */
  async clearLast(): Promise<void> {
    await this.setLast(null);
  }

  /** The profile active when the app last ran, if any. */
  async last(): Promise<ClusterProfile | undefined> {
    const name = await this.lastName();
    return name ? this.load(name) : undefined;
  }

  /** The saved profile of that name; undefined when there is none (or it cannot be read). */
  async load(name: string): Promise<ClusterProfile | undefined> {
    try {
      return JSON.parse(await readFile(this.file(name), 'utf8')) as ClusterProfile;
    } catch {
      return undefined;
    }
  }

  /** Every readable profile, most recently used (saved) first; `active` names the running one. */
  async list(active: string | undefined): Promise<ProfileView[]> {
    const dir = path.join(this.dataDir, PROFILES);
    const files = await readdir(dir).catch(() => [] as string[]);
    const views = await Promise.all(
      files
        .filter((f) => f.endsWith('.json'))
        .map(async (f) => {
          try {
            const full = path.join(dir, f);
            const p = JSON.parse(await readFile(full, 'utf8')) as ClusterProfile;
            return profileView(
              p,
              (await stat(full)).mtimeMs,
              active !== undefined && sameProfile(p.name, active),
            );
          } catch {
            return undefined; // a half-written or foreign file is not a profile
          }
        }),
    );
    return views.filter((v) => v !== undefined).sort((a, b) => b.lastUsedMs - a.lastUsedMs);
  }

  /** Deletes the profile's file (with its secret or token); false when there was none. */
  async delete(name: string): Promise<boolean> {
    try {
      await unlink(this.file(name));
    } catch {
      return false;
    }
    const last = await this.lastName();
    if (last !== null && sameProfile(last, name)) await this.clearLast();
    return true;
  }

  /** `base`, or the first of `base-2`, `base-3` … that names no saved profile. */
  async freeName(base: string): Promise<string> {
    return nextProfileName(
      base,
      (await this.list(undefined)).map((p) => p.name),
    );
  }

  private file(name: string): string {
    return path.join(this.dataDir, PROFILES, `${profileKey(name)}.json`);
  }

  private async setLast(name: string | null): Promise<void> {
    await writeFile(path.join(this.dataDir, LAST), JSON.stringify({ name }) + '\n', { mode: 0o600 });
  }

  private async lastName(): Promise<string | null> {
    try {
      const { name } = JSON.parse(await readFile(path.join(this.dataDir, LAST), 'utf8')) as {
        name: string | null;
      };
      return name;
    } catch {
      return null;
    }
  }
}

/** Both names are saved in one file (see profileKey). */
export function sameProfile(a: string, b: string): boolean {
  return profileKey(a) === profileKey(b);
}

function profileView(p: ClusterProfile, lastUsedMs: number, active: boolean): ProfileView {
  const remote = p.kind === 'remote';
  return {
    name: p.name,
    kind: remote ? 'remote' : 'local',
    transport: p.transport ?? (remote ? null : 'mesh'),
    tls: remote ? p.nodes.some((n) => /^(https|wss):/.test(n.url)) : p.tls === true,
    nodes: p.nodes.length,
    lastUsedMs,
    active,
  };
}
