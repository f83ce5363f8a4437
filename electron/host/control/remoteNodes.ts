import { readFile, stat } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import type { HostErrorCode, NodeId } from '../../../contract/hostContract.js';
import { NodeAdmin } from './NodeAdmin.js';
import { hostError } from './hostError.js';

/** A node of a remote cluster: the app's id for it and its http(s)://host:port origin. */
export interface RemoteNode {
  id: NodeId;
  url: string;
}

export const MAX_REMOTE_NODES = 16;
/** smq-node refuses shorter admin tokens, so a shorter one can only be a typo. */
const MIN_TOKEN_LENGTH = 16;

const bad = (message: string): Error => hostError({ code: 'BadArguments', message });

/**
 * A node URL as the user may type it (`host:8080`, `ws://host:8080/smq.lsp`, `https://host`) →
 * its http(s) origin: ws → http, wss → https, no path, no credentials.
 */
export function nodeOrigin(raw: string): string {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw bad(`not a URL: ${JSON.stringify(raw)}`);
  }
  const scheme = { 'http:': 'http:', 'ws:': 'http:', 'https:': 'https:', 'wss:': 'https:' }[url.protocol];
  if (!scheme) throw bad(`${raw}: a node URL is http://, https://, ws:// or wss://`);
  if (url.username || url.password) throw bad(`${raw}: no user or password in a node URL`);
  if (!url.hostname) throw bad(`${raw}: no host`);
  return new URL(`${scheme}//${url.host}`).origin;
}

/** Validates attachCluster's arguments: distinct origins of 1..16 nodes and a plausible token. */
export function attachArgs(urls: unknown, adminToken: unknown): { origins: string[]; token: string } {
  if (!Array.isArray(urls) || !urls.every((u) => typeof u === 'string'))
    throw bad('urls must be a list of node URLs');
  const given = urls.map((u) => u.trim()).filter((u) => u !== '');
  if (given.length < 1 || given.length > MAX_REMOTE_NODES)
    throw bad(`give 1 to ${MAX_REMOTE_NODES} node URLs`);
  const origins = given.map(nodeOrigin);
  const twice = origins.find((o, i) => origins.indexOf(o) !== i);
  if (twice) throw bad(`${twice} is listed twice`);
  if (typeof adminToken !== 'string' || adminToken.length < MIN_TOKEN_LENGTH)
    throw bad(`the admin token has ${MIN_TOKEN_LENGTH} or more characters (smq-node refuses shorter ones)`);
  // It travels in an HTTP header: no line breaks or other control characters.
  if (/[^\x21-\x7e]/.test(adminToken)) throw bad('the admin token holds spaces or control characters');
  return { origins, token: adminToken };
}

/** A CA bundle is a few KB; the system's whole store is under 300 KB. */
const MAX_CA_FILE_BYTES = 1 << 20;

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The CA certificates (PEM) in a file on the host's machine, for attachCluster's `caFile`. Only the
 * CERTIFICATE blocks are kept, so a file that also holds a private key never puts it in a profile.
 */
export async function readCaFile(file: unknown): Promise<string> {
  if (typeof file !== 'string' || file.trim() === '') throw bad('caFile must be a file path');
  const unreadable = (err: unknown): never => {
    throw bad(`cannot read the CA file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  };
  // Stat first: the path is the user's, and could name a disk image or a device (/dev/zero has size 0).
  const info = await stat(file.trim()).catch(unreadable);
  if (!info.isFile()) throw bad(`${file} is not a file`);
  if (info.size > MAX_CA_FILE_BYTES) throw bad(`${file} is ${info.size} bytes: a CA file is at most 1 MB`);
  const text = await readFile(file.trim(), 'utf8').catch(unreadable);
  const certificates = text.match(PEM_CERTIFICATE) ?? [];
  if (certificates.length === 0) throw bad(`${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  for (const pem of certificates) {
    try {
      new X509Certificate(pem);
    } catch {
      throw bad(`${file} holds a certificate that does not parse`);
    }
  }
  return certificates.join('\n') + '\n';
}

/** One node checked: its /health answers as an smq-node's, and its admin endpoint takes the token. */
async function probe(
  url: string,
  token: string,
  ca: string | undefined,
): Promise<{ url: string; name: string | undefined }> {
  const admin = new NodeAdmin(() => url, token, ca);
  const failed = (code: HostErrorCode, message: string): Error => hostError({ code, message });
  const notSmq = `${url} answers /health, but not as an SMQ node`;
  let name: unknown;
  try {
    const h = await admin.health();
    if (typeof h !== 'object' || h === null || typeof h.traffic !== 'object')
      throw failed('Internal', notSmq);
    name = h.name;
  } catch (err) {
    const e = hostError(err);
    // Only an answer that is not an smq-node's /health is "not an SMQ node"; no answer, or a
    // refused certificate, is reported as it is.
    if (e.code !== 'Internal') throw e;
    throw failed('NodeUnreachable', e.message === notSmq ? notSmq : `${notSmq}: ${e.message}`);
  }
  try {
    await admin.clients();
  } catch (err) {
    const e = hostError(err);
    if (e.code === 'Unauthorized' || e.code === 'NodeUnreachable') throw e;
    throw failed(
      'Unauthorized',
      `${url} has no admin endpoint: start it with --admin-token-file or SMQ_ADMIN_TOKEN`,
    );
  }
  return { url, name: typeof name === 'string' && name !== '' ? name : undefined };
}

/**
 * Checks every node (all at once) and names them: a node's id is its cluster name, or host:port
 * when it has none. The first failure in the order given wins, so the error names one URL.
 */
export async function probeRemote(
  origins: readonly string[],
  token: string,
  ca?: string,
): Promise<RemoteNode[]> {
  const results = await Promise.allSettled(origins.map((url) => probe(url, token, ca)));
  const nodes: RemoteNode[] = [];
  for (const r of results) {
    if (r.status === 'rejected') throw hostError(r.reason);
    const id = r.value.name ?? new URL(r.value.url).host;
    const same = nodes.find((n) => n.id === id);
    if (same) throw bad(`${same.url} and ${r.value.url} are both node "${id}" (one node twice?)`);
    nodes.push({ id, url: r.value.url });
  }
  return nodes;
}
