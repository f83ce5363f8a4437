import type { RawData, WebSocket } from 'ws';
import {
  HOST_CONTRACT_VERSION,
  toHostError,
  type CommandName,
  type HostApi,
  type HostReply,
  type HostRequest,
} from '../../contract/hostContract.js';

/** Every command of the contract, checked complete by the compiler when the contract grows. */
const COMMANDS = {
  createCluster: true,
  attachCluster: true,
  destroyCluster: true,
  addNode: true,
  removeNode: true,
  stopNode: true,
  killNode: true,
  startNode: true,
  restartNode: true,
  listAddresses: true,
  generateCertificate: true,
  certificateStatus: true,
  natsAvailability: true,
  bindNode: true,
  cutLink: true,
  restoreLink: true,
  drainNode: true,
  cancelDrain: true,
  startFleet: true,
  stopFleet: true,
  startLoad: true,
  listClients: true,
  disconnectClient: true,
  snapshot: true,
  listProfiles: true,
  openProfile: true,
  deleteProfile: true,
  watchTap: true,
  unwatchTap: true,
  configureTap: true,
  startRecording: true,
  stopRecording: true,
} as const satisfies Record<CommandName, true>;

/** The id of an error reply to a message whose own id could not be read. */
export const UNKNOWN_REQUEST_ID = -1;

function isCommand(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(COMMANDS, name);
}

type Parsed = { ok: true; request: HostRequest } | { ok: false; id: number; message: string };

/** Shape check only; each command's arguments are the host's to validate (BadArguments). */
export function parseRequest(data: RawData, isBinary: boolean): Parsed {
  if (isBinary) return { ok: false, id: UNKNOWN_REQUEST_ID, message: 'expected a JSON text frame' };
  let value: unknown;
  try {
    value = JSON.parse(rawText(data));
  } catch {
    return { ok: false, id: UNKNOWN_REQUEST_ID, message: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, id: UNKNOWN_REQUEST_ID, message: 'expected a JSON object' };
  }
  const msg = value as Record<string, unknown>;
  const id = Number.isSafeInteger(msg.id) && (msg.id as number) >= 0 ? (msg.id as number) : undefined;
  if (id === undefined) return { ok: false, id: UNKNOWN_REQUEST_ID, message: 'id must be an integer ≥ 0' };
  if (msg.kind !== 'call') return { ok: false, id, message: 'kind must be "call"' };
  if (!isCommand(msg.cmd)) return { ok: false, id, message: `unknown command ${JSON.stringify(msg.cmd)}` };
  const args = msg.args ?? {};
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    return { ok: false, id, message: 'args must be an object' };
  }
  return { ok: true, request: { kind: 'call', id, cmd: msg.cmd, args } as HostRequest };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** A connection's own view of the contract; closed when its socket closes. */
export type ConnectHost = (options: { queuedBytes(): number }) => HostApi & { close(): void };

export interface HostSocketOptions {
  /** Bytes the socket may hold unsent before the renderer counts as not reading and is dropped. */
  maxQueuedBytes: number;
  onSlowConsumer: (queuedBytes: number) => void;
}

/**
 * Serves the contract on one accepted WebSocket: hello first, then call → result/error replies
 * and every host event. Sends are bounded: a renderer that stops reading is dropped (it reconnects
 * and asks for a snapshot) rather than growing the host's memory.
 */
export function serveHostSocket(ws: WebSocket, connect: ConnectHost, options: HostSocketOptions): void {
  const api = connect({ queuedBytes: () => ws.bufferedAmount });
  let closed = false;
  const send = (reply: HostReply): void => {
    if (closed) return;
    let text: string;
    try {
      text = JSON.stringify(reply);
    } catch (err) {
      if (reply.kind !== 'result') return;
      text = JSON.stringify({ kind: 'error', id: reply.id, error: toHostError(err) } satisfies HostReply);
    }
    const queued = ws.bufferedAmount + Buffer.byteLength(text);
    if (queued > options.maxQueuedBytes) {
      closed = true;
      options.onSlowConsumer(queued);
      ws.terminate();
      return;
    }
    ws.send(text);
  };

  send({ kind: 'hello', version: HOST_CONTRACT_VERSION });
  const unsubscribe = api.subscribe((event) => send({ kind: 'event', event }));

  ws.on('message', (data, isBinary) => {
    const parsed = parseRequest(data, isBinary);
    if (!parsed.ok) {
      send({ kind: 'error', id: parsed.id, error: { code: 'BadArguments', message: parsed.message } });
      return;
    }
    const { id, cmd, args } = parsed.request;
    let pending: Promise<unknown>;
    try {
      pending = api.call(cmd, args);
    } catch (err) {
      pending = Promise.reject(err);
    }
    pending.then(
      (result) => send({ kind: 'result', id, result: result ?? null }),
      (err: unknown) => send({ kind: 'error', id, error: toHostError(err) }),
    );
  });
  ws.on('close', () => {
    closed = true;
    unsubscribe();
    api.close();
  });
  ws.on('error', () => ws.terminate());
}
