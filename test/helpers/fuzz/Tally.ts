import { createHash } from 'node:crypto';
import { TEMPLATES, type Template } from './packets.js';

/** Per-kind counts: how many packets reached the node after a valid handshake, and their fate. */
export interface Count {
  /** Packets the node read (accepted + closedOn). */
  sent: number;
  /** The node answered the barrier Ping after it: the connection stayed open. */
  accepted: number;
  /** The node closed the connection on this packet. */
  closedOn: number;
  /** Written after the packet that closed the connection: never read. Not in `sent`. */
  unreached: number;
}

export interface Finding {
  kind: string;
  detail: string;
}

const zero = (): Count => ({ sent: 0, accepted: 0, closedOn: 0, unreached: 0 });

/** Everything the fuzz lanes count and find, shared by all lanes of one run. */
export class Tally {
  readonly byTemplate = new Map<Template, Count>(TEMPLATES.map((t) => [t, zero()]));
  readonly byWireType = new Map<string, Count>();
  readonly byMutation = new Map<string, Count>();
  readonly disconnects = new Map<string, number>();
  readonly findings: Finding[] = [];
  private readonly findingKinds = new Map<string, number>();
  /** Mutated or random packets that reached the node. */
  fuzzedReached = 0;
  /** Unmutated template packets that reached the node. */
  validReached = 0;
  connections = 0;
  replacements = 0;

  count(
    template: Template,
    wire: string,
    mutation: string,
    fate: 'accepted' | 'closedOn' | 'unreached',
  ): void {
    for (const c of [
      this.byTemplate.get(template)!,
      get(this.byWireType, wire),
      get(this.byMutation, mutation),
    ]) {
      c[fate]++;
      if (fate !== 'unreached') c.sent++;
    }
    if (fate === 'unreached') return;
    if (mutation === 'none') this.validReached++;
    else this.fuzzedReached++;
  }

  /** Records a finding; the first few of each kind keep their details (with repro bytes). */
  find(kind: string, detail: string): void {
    const n = (this.findingKinds.get(kind) ?? 0) + 1;
    this.findingKinds.set(kind, n);
    if (n <= 3) this.findings.push({ kind, detail });
  }

  findingSummary(): string[] {
    return [...this.findingKinds].map(([k, n]) => `${n} × ${k}`);
  }

  report(): string {
    const lines: string[] = [];
    const table = (title: string, m: Map<string, Count>): void => {
      lines.push(
        title.padEnd(28) +
          'sent'.padStart(9) +
          'accepted'.padStart(10) +
          'closed on'.padStart(11) +
          'unreached'.padStart(11),
      );
      for (const [k, c] of [...m].sort((a, b) => b[1].sent - a[1].sent)) {
        if (c.sent + c.unreached === 0) continue;
        lines.push(
          k.padEnd(28) + fmt(c.sent, 9) + fmt(c.accepted, 10) + fmt(c.closedOn, 11) + fmt(c.unreached, 11),
        );
      }
      lines.push('');
    };
    table('template', this.byTemplate);
    table('type byte the node read', this.byWireType);
    table('mutation', this.byMutation);
    lines.push(
      `reached the node: ${this.fuzzedReached} mutated/random + ${this.validReached} valid; ` +
        `${this.connections} fuzz connections, ${this.replacements} replaced by a duplicate uid`,
    );
    lines.push(
      `Disconnect packets received by fuzz clients: ${JSON.stringify(Object.fromEntries(this.disconnects))}`,
    );
    return lines.join('\n');
  }
}

function get(m: Map<string, Count>, k: string): Count {
  let c = m.get(k);
  if (!c) m.set(k, (c = zero()));
  return c;
}

function fmt(n: number, w: number): string {
  return String(n).padStart(w);
}

/** Packets the node may route (a sender's own valid Publish), by digest: strays must be one of them. */
export class Routable {
  private readonly set = new Set<string>();
  add(p: Uint8Array): void {
    this.set.add(digest(p));
  }
  has(p: Buffer): boolean {
    return this.set.has(digest(p));
  }
}

export function digest(p: Uint8Array): string {
  return createHash('sha1').update(p).digest('base64');
}

/** Short hex for reports: whole packets up to 80 bytes, else head … tail with the length. */
export function hex(bytes: Uint8Array): string {
  const p = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (p.length <= 80) return p.toString('hex');
  return `${p.subarray(0, 40).toString('hex')}…${p.subarray(-8).toString('hex')} (${p.length} bytes)`;
}
