import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type {
  CommandArgs,
  CommandName,
  CommandResult,
  HostApi,
  HostEvent,
  HostReply,
} from '../../../contract/hostContract.js';
import { waitFor } from '../../helpers/waitFor.js';
import type { ConnectHost } from '../../../electron/host/hostSocket.js';

/** A tiny stand-in for dist/renderer: one page and one hashed asset. */
export function fixtureRenderer(): string {
  const dir = mkdtempSync(join(tmpdir(), 'smq-renderer-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><head><title>SMQ Control Center</title>' +
      '<script type="module" src="./assets/app-1a2b.js"></script></head><body><div id="root"></div></body></html>',
  );
  writeFileSync(join(dir, 'assets', 'app-1a2b.js'), 'document.title = "loaded";\n');
  return dir;
}

/** Every connection shares one scripted HostApi (tests of the transport, not of per-connection state). */
export function shared(api: HostApi): ConnectHost {
  return () => ({
    call: (cmd, args) => api.call(cmd, args),
    subscribe: (l) => api.subscribe(l),
    close: () => {},
  });
}

type Handler = (args: unknown) => unknown;

/** A HostApi whose commands the test scripts, with events it can emit. */
export class ScriptedApi implements HostApi {
  readonly calls: { cmd: CommandName; args: unknown }[] = [];
  private readonly listeners = new Set<(event: HostEvent) => void>();
  constructor(private readonly handlers: Partial<Record<CommandName, Handler>> = {}) {}

  async call<K extends CommandName>(cmd: K, args: CommandArgs<K>): Promise<CommandResult<K>> {
    this.calls.push({ cmd, args });
    const handler = this.handlers[cmd];
    if (!handler) throw Object.assign(new Error(`no handler for ${cmd}`), { code: 'Internal' });
    return (await handler(args)) as CommandResult<K>;
  }

  subscribe(listener: (event: HostEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  emit(event: HostEvent): void {
    for (const l of this.listeners) l(event);
  }
}

/** GET launchUrl without following the redirect: the cookie header to send from then on. */
export async function login(
  launchUrl: string,
): Promise<{ status: number; setCookie: string; cookie: string; location: string | null }> {
  const res = await fetch(launchUrl, { redirect: 'manual' });
  const setCookie = res.headers.get('set-cookie') ?? '';
  return {
    status: res.status,
    setCookie,
    cookie: setCookie.split(';')[0]!,
    location: res.headers.get('location'),
  };
}

export type SocketResult =
  { kind: 'open'; socket: HostSocketClient } | { kind: 'refused'; status: number; body: string };

/** A contract WebSocket from a test, with every reply kept in order. */
export class HostSocketClient {
  readonly replies: HostReply[] = [];
  closed = false;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.replies.push(JSON.parse(String(data)) as HostReply));
    ws.on('close', () => (this.closed = true));
  }

  static open(url: string, headers: Record<string, string>): Promise<SocketResult> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.once('open', () => resolve({ kind: 'open', socket: new HostSocketClient(ws) }));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ kind: 'refused', status: res.statusCode ?? 0, body }));
      });
      ws.once('error', reject);
    });
  }

  send(value: unknown): void {
    this.ws.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  async reply(match: (r: HostReply) => boolean, what = 'a reply'): Promise<HostReply> {
    return waitFor(() => this.replies.find(match), { what });
  }

  close(): void {
    this.ws.terminate();
  }
}
