import { execFileSync } from 'node:child_process';

/** Why network namespaces cannot be made here, or undefined when they can (root, iproute2). */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  const probe = `smqprobe${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'del', probe], { stdio: 'pipe' });
    return undefined;
  } catch (err) {
    return `ip netns failed: ${(err as Error).message.split('\n')[0]}`;
  }
}

export function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

/** A namespace joined to the root namespace by veth pairs, each a /30 with .1 outside and .2 inside. */
export class Netns {
  readonly name: string;
  private readonly pairs: string[] = [];

  constructor(tag: string) {
    this.name = `smq${tag}${process.pid}`;
    ip('netns', 'add', this.name);
    ip('netns', 'exec', this.name, 'ip', 'link', 'set', 'lo', 'up');
  }

  /** Adds a veth pair on `subnet` (e.g. '10.77.3'); returns the root-side interface name. */
  veth(label: string, subnet: string): { outside: string; hostIp: string; nsIp: string } {
    const outside = `v${label}${process.pid}`.slice(0, 15);
    const inside = `w${label}${process.pid}`.slice(0, 15);
    ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside);
    ip('link', 'set', inside, 'netns', this.name);
    ip('addr', 'add', `${subnet}.1/30`, 'dev', outside);
    ip('link', 'set', outside, 'up');
    ip('netns', 'exec', this.name, 'ip', 'addr', 'add', `${subnet}.2/30`, 'dev', inside);
    ip('netns', 'exec', this.name, 'ip', 'link', 'set', inside, 'up');
    this.pairs.push(outside);
    return { outside, hostIp: `${subnet}.1`, nsIp: `${subnet}.2` };
  }

  /** Deleting the namespace removes its veth ends, and with them the root-side peers. */
  destroy(): void {
    try {
      ip('netns', 'del', this.name);
    } catch {
      // already gone
    }
    for (const p of this.pairs) {
      try {
        ip('link', 'del', p);
      } catch {
        // removed with the namespace
      }
    }
  }
}
