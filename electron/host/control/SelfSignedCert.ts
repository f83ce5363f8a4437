import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { generate } from 'selfsigned';
import type { CertificateView } from '../../../contract/hostContract.js';

/** A certificate and its private key, as PEM text. */
export interface PemPair {
  cert: string;
  key: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** The local CA outlives any server certificate it signs: trusting it once is enough. */
const CA_DAYS = 3650;
const SERVER_DAYS = 365;

/** EC P-256 keys: generated in milliseconds, unlike RSA. `from` back a minute for clock skew. */
function validity(days: number) {
  const notBeforeDate = new Date(Date.now() - 60_000);
  return {
    keyType: 'ec' as const,
    curve: 'P-256' as const,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + days * DAY_MS),
  };
}

function altNames(hosts: readonly string[]) {
  return {
    name: 'subjectAltName' as const,
    altNames: hosts.map((h) => (isIP(h) ? { type: 7 as const, ip: h } : { type: 2 as const, value: h })),
  };
}

/**
 * A self-signed certificate for `hosts` (IP addresses and names) that is its own CA, so the same
 * file serves as a node's certificate and as the CA file of its clients. For tests.
 */
export async function generateSelfSigned(hosts: readonly string[], days = SERVER_DAYS): Promise<PemPair> {
  if (hosts.length === 0) throw new Error('a certificate needs at least one host');
  const pems = await generate([{ name: 'commonName', value: hosts[0]! }], {
    ...validity(days),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
      altNames(hosts),
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** A CA that signs server certificates only (it serves no TLS itself). */
async function generateAuthority(): Promise<PemPair> {
  const pems = await generate([{ name: 'commonName', value: 'SMQ Control Center local CA' }], {
    ...validity(CA_DAYS),
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** A server certificate for `hosts`, signed by `ca`. */
async function generateServer(hosts: readonly string[], ca: PemPair): Promise<PemPair> {
  const pems = await generate([{ name: 'commonName', value: hosts[0]! }], {
    ...validity(SERVER_DAYS),
    ca,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
      altNames(hosts),
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** Hosts every local certificate covers: local clients and the nodes' own links dial these. */
export const LOCAL_HOSTS = ['127.0.0.1', 'localhost'];

/** The host's server certificate with the CA's PEM text, which its own clients of the nodes trust. */
export type LocalCertificate = CertificateView & { ca: string };

/**
 * The host's certificates for local TLS clusters, in `dir` (0700), every file 0600:
 * `ca.pem`/`ca-key.pem`, a local CA made once and kept, and `cert.pem`/`key.pem`, the nodes'
 * server certificate it signs. A new server certificate (more hosts) is signed by the same CA, so
 * running nodes, restarted ones, the host and devices that trust `ca.pem` never disagree.
 */
export class CertificateStore {
  readonly caFile: string;
  readonly caKeyFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** Read or made once per host: it must not change under a running cluster. */
  private authority: Promise<PemPair> | undefined;

  constructor(private readonly dir: string) {
    this.caFile = path.join(dir, 'ca.pem');
    this.caKeyFile = path.join(dir, 'ca-key.pem');
    this.certFile = path.join(dir, 'cert.pem');
    this.keyFile = path.join(dir, 'key.pem');
  }

  /** Signs and writes a new server certificate valid for LOCAL_HOSTS and `hosts`. */
  async generate(hosts: readonly string[] = []): Promise<CertificateView> {
    const ca = await this.ca();
    const pair = await generateServer([...new Set([...LOCAL_HOSTS, ...hosts])], ca);
    // Key first: a node starting in between reads the old certificate with a key it does not match
    // only for the instant between two renames, never a world-readable key.
    await writeSecret(this.keyFile, pair.key);
    await writeSecret(this.certFile, pair.cert);
    return this.inspect(pair.cert, ca.cert);
  }

  /** The server certificate (see view()) with the CA's PEM text, for the host's own clients. */
  async current(): Promise<LocalCertificate> {
    const ca = await this.ca();
    return { ...((await this.onDisk(ca)) ?? (await this.generate())), ca: ca.cert };
  }

  /**
   * The server certificate on disk, or a new one when there is none, it is unreadable, expired or
   * not signed by the CA (a certificate from before the CA existed).
   */
  async view(): Promise<CertificateView> {
    return (await this.onDisk(await this.ca())) ?? this.generate();
  }

  /** What view() would keep, without making anything: null when it would sign a certificate (or a CA). */
  async stored(): Promise<CertificateView | null> {
    const ca = await (this.authority ?? this.readAuthority());
    return (ca && (await this.onDisk(ca))) ?? null;
  }

  private async onDisk(ca: PemPair): Promise<CertificateView | undefined> {
    try {
      const cert = await readFile(this.certFile, 'utf8');
      await readFile(this.keyFile);
      const x509 = new X509Certificate(cert);
      if (x509.checkIssued(new X509Certificate(ca.cert)) && Date.parse(x509.validTo) > Date.now())
        return this.inspect(cert, ca.cert);
    } catch {
      // No usable certificate yet: the caller signs one.
    }
    return undefined;
  }

  /** The current server certificate, reissued to cover `host` too when it does not yet. */
  async covering(host: string): Promise<CertificateView> {
    const now = await this.view();
    const x509 = new X509Certificate(await readFile(this.certFile, 'utf8'));
    const covered = isIP(host) ? x509.checkIP(host) !== undefined : x509.checkHost(host) !== undefined;
    return covered ? now : this.generate([...now.hosts, host]);
  }

  private ca(): Promise<PemPair> {
    this.authority ??= this.loadAuthority().catch((err: unknown) => {
      this.authority = undefined;
      throw err;
    });
    return this.authority;
  }

  /** The CA on disk, unless it expires before a certificate it signs now would. */
  private async readAuthority(): Promise<PemPair | undefined> {
    try {
      const ca = { cert: await readFile(this.caFile, 'utf8'), key: await readFile(this.caKeyFile, 'utf8') };
      if (Date.parse(new X509Certificate(ca.cert).validTo) > Date.now() + SERVER_DAYS * DAY_MS) return ca;
    } catch {
      // None yet (or unreadable).
    }
    return undefined;
  }

  private async loadAuthority(): Promise<PemPair> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const kept = await this.readAuthority();
    if (kept) return kept;
    const ca = await generateAuthority();
    await writeSecret(this.caKeyFile, ca.key);
    await writeSecret(this.caFile, ca.cert);
    return ca;
  }

  private inspect(cert: string, ca: string): CertificateView {
    const x509 = new X509Certificate(cert);
    const hosts = (x509.subjectAltName ?? '')
      .split(', ')
      .map((entry) => entry.replace(/^(IP Address|DNS):/, ''))
      .filter((h) => h !== '');
    return {
      certFile: this.certFile,
      keyFile: this.keyFile,
      caFile: this.caFile,
      hosts,
      fingerprint256: x509.fingerprint256,
      notAfterMs: Date.parse(x509.validTo),
      caNotAfterMs: Date.parse(new X509Certificate(ca).validTo),
    };
  }
}

/**
 * Replaces `file` atomically with a 0600 file: written to a new temp file (created 0600, 'wx', so
 * never readable by others, not even briefly), then renamed over it.
 */
async function writeSecret(file: string, text: string): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text, { mode: 0o600, flag: 'wx' });
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
