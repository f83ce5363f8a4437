import type { NodeStats } from '../node/NodeCounters.js';
import type { SessionSnapshot } from '../node/Session.js';
import type { MeshLinkInfo } from '../cluster/MeshBackplane.js';
import type { PeerSnapshot } from '../cluster/ClusterRouter.js';
import type { WireTapEvent } from './tapWire.js';

export * from './tapWire.js';

/**
 * The admin WebSocket's wire format: JSON text frames, one object each. Types and pure
 * encode/parse functions only (no sockets, timers or logging); the host imports this module.
 */

/** The upgrade path on every node with an admin token (`Authorization: Bearer <token>`). */
export const ADMIN_WS_PATH = '/admin/ws';
/** Version of this wire format, sent in `hello`; bumped on any incompatible change. */
export const ADMIN_WIRE_VERSION = 1;
/** Payload bytes per tap event when a `tap` request gives no captureBytes. */
export const DEFAULT_CAPTURE_BYTES = 256;
/** Largest captureBytes honoured (larger requests are clamped); covers any SMQ payload (0xFFF0). */
export const MAX_CAPTURE_BYTES = 65536;

/** A request id chosen by the client, echoed in the reply. */
export type RequestId = number | string;

// ---- client → node ----

/**
 * What a tap carries: 'all' events, or 'lifecycle' (every event but publishes: the node then builds
 * no publish event at all, so a host can keep a lifecycle history at no cost to the publish path).
 */
export const TAP_SCOPES = ['all', 'lifecycle'] as const;
export type TapScope = (typeof TAP_SCOPES)[number];

/**
 * Starts (on) or stops the tap for this socket, or changes its scope (default 'all', so a host that
 * predates scopes gets what it always got); captureBytes: payload bytes per event, 0..65536.
 */
export interface TapRequest {
  op: 'tap';
  on: boolean;
  scope?: TapScope;
  captureBytes?: number;
  id?: RequestId;
}
export interface TopicsRequest {
  op: 'topics';
  id: RequestId;
}
export interface ClientsRequest {
  op: 'clients';
  id: RequestId;
}
/** A stats frame now, besides the one sent about every second. */
export interface StatsRequest {
  op: 'stats';
  id: RequestId;
}
export type AdminRequest = TapRequest | TopicsRequest | ClientsRequest | StatsRequest;

// ---- node → client ----

export interface HelloFrame {
  t: 'hello';
  node: string;
  /** ADMIN_WIRE_VERSION of the node. */
  version: number;
  /** The node's cluster id, when it is in a cluster. */
  nodeId?: string;
  startedAt: number;
}

/** A batch of tap events; `skipped`: events dropped for this socket since the previous batch. */
export interface TapFrame {
  t: 'tap';
  events: WireTapEvent[];
  skipped: number;
}

/** The answer to a `tap` request: what this socket now gets. */
export interface TappingFrame {
  t: 'tapping';
  id?: RequestId;
  on: boolean;
  /** The scope now tapped; absent when off. */
  scope?: TapScope;
  captureBytes: number;
}

export interface AdminClusterStats {
  nodeId: string;
  links: MeshLinkInfo[];
  peers: PeerSnapshot[];
  cut: string[];
}

/** What /health has, plus the total of local subscriptions. */
export interface AdminStats extends NodeStats {
  /** Local (topic, subscriber) pairs, the server client's included. */
  subscriptions: number;
  cluster?: AdminClusterStats;
}

export interface StatsFrame {
  t: 'stats';
  id?: RequestId;
  time: number;
  stats: AdminStats;
}

/** The last publish to a topic (any origin). */
export interface TopicLast {
  size: number;
  /** The first min(size, 64) payload bytes, base64. */
  head: string;
  truncated: boolean;
}

export interface AdminTopic {
  name: string;
  tid: number;
  /** Subscribers on this node. */
  subscribers: number;
  /** Subscribers on every node of the cluster; absent on a standalone node. */
  clusterSubscribers?: number;
  /** Publishes (and payload bytes) routed here from this node's clients since the node started. */
  msgs: number;
  bytes: number;
  /** Publishes that arrived over cluster links. */
  peerMsgs: number;
  peerBytes: number;
  last?: TopicLast;
  /** Sub-topic names seen with this topic (at most 32). */
  subtopics: string[];
  /** Publishes whose sub-topic did not fit that list. */
  subtopicsUnlisted: number;
}

export interface TopicsFrame {
  t: 'topics';
  id: RequestId;
  topics: AdminTopic[];
}

/** A client as the admin channel lists it: the session snapshot plus its topic names. */
export interface AdminClient extends SessionSnapshot {
  topics: string[];
}

export interface ClientsFrame {
  t: 'clients';
  id: RequestId;
  clients: AdminClient[];
}

export interface ErrorFrame {
  t: 'error';
  id?: RequestId;
  message: string;
}

export type AdminFrame =
  HelloFrame | TapFrame | TappingFrame | StatsFrame | TopicsFrame | ClientsFrame | ErrorFrame;

// ---- pure functions ----

/** captureBytes as honoured: an integer in 0..MAX_CAPTURE_BYTES, DEFAULT_CAPTURE_BYTES if absent. */
export function clampCapture(n: number | undefined): number {
  if (n === undefined || !Number.isFinite(n)) return DEFAULT_CAPTURE_BYTES;
  return Math.max(0, Math.min(MAX_CAPTURE_BYTES, Math.floor(n)));
}

const isId = (v: unknown): v is RequestId =>
  (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= 64);

/** Parses one client frame; an ErrorFrame (echoing a valid id, if any) for anything malformed. */
export function parseAdminRequest(text: string): AdminRequest | ErrorFrame {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { t: 'error', message: 'not JSON' };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return { t: 'error', message: 'not an object' };
  const o = v as Record<string, unknown>;
  const id = isId(o.id) ? o.id : undefined;
  const bad = (message: string): ErrorFrame =>
    id === undefined ? { t: 'error', message } : { t: 'error', id, message };
  switch (o.op) {
    case 'tap': {
      if (typeof o.on !== 'boolean') return bad('tap needs on: boolean');
      if (o.captureBytes !== undefined && typeof o.captureBytes !== 'number')
        return bad('captureBytes must be a number');
      if (o.scope !== undefined && !TAP_SCOPES.includes(o.scope as TapScope))
        return bad(`scope must be one of ${TAP_SCOPES.join(', ')}`);
      const r: TapRequest = { op: 'tap', on: o.on };
      if (o.scope !== undefined) r.scope = o.scope as TapScope;
      if (o.captureBytes !== undefined) r.captureBytes = o.captureBytes;
      if (id !== undefined) r.id = id;
      return r;
    }
    case 'topics':
    case 'clients':
    case 'stats':
      if (id === undefined) return bad(`${o.op} needs an id (number or string)`);
      return { op: o.op, id };
    default:
      return bad(`unknown op ${JSON.stringify(o.op)?.slice(0, 40)}`);
  }
}
