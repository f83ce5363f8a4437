/**
 * The one contract between the control-plane host (electron/host, plain Node) and the renderer.
 * Both sides import this file and nothing else of each other. It carries commands (request →
 * result or typed error) and coalesced event streams (at most ~10 messages per second per
 * stream), never one message per SMQ publish. Plain data only: it crosses a WebSocket as JSON.
 */

export const HOST_CONTRACT_VERSION = 1;

/**
 * Node ids are the host's names for its nodes: "n1", "n2", … for a local cluster (also each
 * node's cluster name); for a remote cluster, each node's cluster name (or host:port without one).
 */
export type NodeId = string;

/** 'unreachable': a remote node whose /health does not answer (the host cannot tell why). */
export type NodeState = 'starting' | 'up' | 'stopping' | 'stopped' | 'killed' | 'crashed' | 'unreachable';

export interface NodeView {
  id: NodeId;
  /** Loopback (or bound) host and the port the node keeps across restarts; a remote node's URL host. */
  host: string;
  port: number;
  /** `ws://host:port/smq.lsp` for WebSocket clients and `http://host:port/smq.lsp` for raw TCP. */
  wsUrl: string;
  rawUrl: string;
  state: NodeState;
  pid: number | null;
  /** Milliseconds since this incarnation listened; 0 when not up. */
  uptimeMs: number;
  clients: number;
  subscriptions: number;
  topics: number;
  msgsIn: number;
  msgsOut: number;
  bytesIn: number;
  bytesOut: number;
  /** Deliveries out per second over the last ~2 s, to one decimal (light traffic is not 0). */
  msgsPerSec: number;
  /** Why the node is not up (port in use, crashed with signal …), for the UI. */
  lastError: HostError | null;
}

export type LinkState = 'up' | 'connecting' | 'down' | 'cut';

/** One mesh link, named by its two nodes in id order (a < b). */
export interface LinkView {
  a: NodeId;
  b: NodeId;
  state: LinkState;
  rttMs: number | null;
  queuedBytes: number;
  /** The last close reason of this link (a LinkCloseReason code), when it went down. */
  lastReason: string | null;
}

export type LedColor = 'red' | 'yellow' | 'green' | 'blue';

export interface LedView {
  id: number;
  name: string;
  color: LedColor;
  on: boolean;
}

export interface DeviceView {
  /** Stable key: the fleet's device name (devname). */
  name: string;
  fleetId: string;
  /** The node whose URL the device is connected to; null while reconnecting. */
  nodeId: NodeId | null;
  etid: number | null;
  /** 6-byte uid as hex, e.g. "02:00:5e:00:00:01". */
  uid: string;
  connected: boolean;
  leds: LedView[];
  /** Tenths of a degree Celsius. */
  temp: number;
  simulated: boolean;
}

export type FleetSpread = { kind: 'random' } | { kind: 'pinned'; nodeId: NodeId };

export interface FleetView {
  id: string;
  namePrefix: string;
  count: number;
  spread: FleetSpread;
}

export interface ClusterSnapshot {
  /** False before "create cluster" (the UI shows its empty state). */
  exists: boolean;
  /**
   * 'local': nodes are child processes of the host; 'remote': nodes someone else runs, attached by
   * URL and admin token (no start/stop/kill). 'local' when no cluster exists.
   */
  kind: 'local' | 'remote';
  /** Cluster profile name, as saved in the data folder. */
  profile: string;
  nodes: NodeView[];
  links: LinkView[];
  devices: DeviceView[];
  fleets: FleetView[];
  /**
   * Pairs of up nodes (a < b) without a working direct link. Links are one hop, so the clients of
   * these two nodes do not exchange messages, even when both reach a third node. A link still
   * coming up in a node's first seconds is not listed.
   */
  unlinked: [NodeId, NodeId][];
  /** unlinked is not empty. */
  partitioned: boolean;
}

export type Transport = 'ws' | 'raw';

export interface ClientView {
  etid: number;
  uid: string;
  ip: string;
  transport: Transport;
  info: string;
  subscriptions: string[];
  msgsIn: number;
  msgsOut: number;
  bytesIn: number;
  bytesOut: number;
  connectedAtMs: number;
}

export interface LoadSpec {
  nodeIds: NodeId[];
  publishers: number;
  subscribers: number;
  /** Messages per second per publisher. */
  rate: number;
  payloadBytes: number;
  durationMs: number;
}

export interface LoadResult {
  sent: number;
  received: number;
  /** Expected deliveries (sent × subscribers) that never arrived. */
  lost: number;
  sentPerSec: number;
  receivedPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LoadView {
  id: string;
  spec: LoadSpec;
  state: 'running' | 'done' | 'failed';
  /** When the host started the run (ms since the epoch). */
  startedAtMs: number;
  /** Live counters, sent a few times per second while running; the last ones after it ends. */
  progress: {
    phase: 'setup' | 'sending' | 'draining' | 'done';
    sent: number;
    received: number;
    /** Time since the first publish (0 while clients connect and subscribe). */
    sendingMs: number;
  } | null;
  result: LoadResult | null;
  error: HostError | null;
}

/** Per-node counters for charts, one tick per stats interval. */
export interface StatsTick {
  atMs: number;
  nodes: {
    id: NodeId;
    msgsIn: number;
    msgsOut: number;
    bytesIn: number;
    bytesOut: number;
    clients: number;
  }[];
}

/**
 * One row of the live traffic inspector: a publish routed by a node (or, for #11, a lifecycle
 * event). Flat and JSON-safe, so lists, filters and CSV export treat every row alike.
 */
export interface TapRow {
  /** Host-assigned, strictly increasing across the whole cluster. */
  seq: number;
  timeMs: number;
  kind: 'publish' | 'open' | 'close' | 'subscribe' | 'unsubscribe';
  nodeId: NodeId;
  /** The node it came from over a cluster link; null when published on nodeId itself. */
  via: NodeId | null;
  destKind: 'topic' | 'etid' | 'unknown' | null;
  /** TID for a topic (also for subscribe/unsubscribe), ETID for one-to-one. */
  dest: number;
  topic: string | null;
  /** The destination client's uid (hex) for one-to-one, when its node knows it. */
  destUid: string | null;
  subtopic: string | null;
  /** The publisher's ETID (the PTID), or the client's ETID for the other kinds. */
  etid: number;
  uid: string | null;
  /** Deliveries of a publish; local subscribers after a subscribe/unsubscribe. */
  receivers: number;
  /** A drop reason (no subscriber, hook, …); null when delivered. */
  dropped: string | null;
  /** Full payload size in bytes. */
  size: number;
  /** The captured payload head, base64. */
  payload: string;
  /** True when the capture limit cut the payload: payload holds captureBytes of size. */
  truncated: boolean;
  captureBytes: number;
  /** A close reason code for kind 'close'. */
  reason: string | null;
  /** For open/close: transport and address, and the close detail. */
  detail: string | null;
}

/** An ETID as the UI shows it: hex, since its high bits are the node's incarnation. */
export function etidHex(etid: number): string {
  return `0x${etid.toString(16).toUpperCase().padStart(8, '0')}`;
}

/**
 * How the inspector names a row's destination: the topic, or "→ ETID 0x… (uid)" for one-to-one
 * (hex, as the UI shows ETIDs: the high bits are the node's incarnation).
 */
export function tapDestination(row: TapRow): string {
  if (row.topic !== null) return row.topic;
  const id = etidHex(row.dest);
  if (row.destKind === 'etid') return `→ ETID ${id}${row.destUid ? ` (${row.destUid})` : ''}`;
  return row.kind === 'publish' ? `→ ${id} (unknown)` : '';
}

/** Which rows a connection's inspector receives. Empty fields match everything. */
export interface TapFilter {
  nodeIds?: NodeId[];
  /** Substring of the topic name (or "→ ETID"), or a glob when it holds * or ?. */
  topic?: string;
  subtopic?: string;
  /** Publisher ETID (decimal or 0x hex) or a substring of its uid. */
  publisher?: string;
  /** 'local': published on the node; 'link': arrived over a cluster link. */
  origin?: 'local' | 'link';
  /** 'topic': to subscribers of a topic; 'etid': one-to-one. */
  target?: 'topic' | 'etid';
  droppedOnly?: boolean;
  kinds?: TapRow['kind'][];
}

/** The ring the host keeps and the capture limit it asks nodes for. */
export interface TapSettings {
  /** Payload bytes captured per message (the rest is counted, not kept). */
  captureBytes: number;
  ringRows: number;
  ringBytes: number;
}

/** At most every ~100 ms, to each connection that watches the tap. */
export interface TapBatch {
  rows: TapRow[];
  /** Matching rows not sent since the last batch: over the batch cap, overwritten in the ring,
   *  or dropped by a node because this host could not keep up. */
  skipped: number;
  /** Rows tapped in the cluster since the watch began, and how many matched the filter. */
  seen: number;
  matched: number;
  /** True for the first batch after a filter change: the receiver replaces its rows. */
  reset: boolean;
}

export interface TopicNodeView {
  nodeId: NodeId;
  tid: number;
  subscribers: number;
}

export interface TopicView {
  name: string;
  nodes: TopicNodeView[];
  msgsPerSec: number;
  bytesPerSec: number;
  /** msgs/s per second, oldest first, over the last TOPIC_HISTORY_SECONDS. */
  history: number[];
  lastPayload: string | null;
  lastSize: number;
  subtopics: string[];
}

export const TOPIC_HISTORY_SECONDS = 180;

/** A tap recording on the host's disk. */
export interface RecordingView {
  file: string;
  state: 'recording' | 'done' | 'failed';
  rows: number;
  bytes: number;
  /** Rows lost to the ring or a slow disk while recording. */
  skipped: number;
  /** Where the page can download it (a host URL path). */
  downloadPath: string;
  error: HostError | null;
}

export type HostErrorCode =
  | 'PortInUse'
  | 'BadSecret'
  | 'NoCluster'
  | 'ClusterExists'
  | 'NoSuchNode'
  | 'NoSuchLink'
  | 'NoSuchFleet'
  | 'NoSuchClient'
  | 'NodeNotUp'
  | 'NodeCrashed'
  | 'BadArguments'
  | 'Unauthorized'
  | 'AlreadyRecording'
  | 'NotRecording'
  | 'NotLocal'
  | 'NodeUnreachable'
  | 'Internal';

export interface HostError {
  code: HostErrorCode;
  message: string;
}

/** Every error code at run time, checked complete by the compiler when the union grows. */
const HOST_ERROR_CODES = {
  PortInUse: true,
  BadSecret: true,
  NoCluster: true,
  ClusterExists: true,
  NoSuchNode: true,
  NoSuchLink: true,
  NoSuchFleet: true,
  NoSuchClient: true,
  NodeNotUp: true,
  NodeCrashed: true,
  BadArguments: true,
  Unauthorized: true,
  AlreadyRecording: true,
  NotRecording: true,
  NotLocal: true,
  NodeUnreachable: true,
  Internal: true,
} as const satisfies Record<HostErrorCode, true>;

export function isHostErrorCode(code: unknown): code is HostErrorCode {
  return typeof code === 'string' && Object.hasOwn(HOST_ERROR_CODES, code);
}

/** A thrown value as the contract's error: its own `code` when that is a HostErrorCode, else Internal. */
export function toHostError(err: unknown): HostError {
  if (err instanceof HostCallError) return { code: err.error.code, message: err.error.message };
  const fields =
    typeof err === 'object' && err !== null ? (err as { code?: unknown; message?: unknown }) : {};
  const message = typeof fields.message === 'string' ? fields.message : String(err);
  return { code: isHostErrorCode(fields.code) ? fields.code : 'Internal', message };
}

/** Every command with its arguments and result. */
export interface Commands {
  /** Starts N mesh-linked nodes on free loopback ports; `secret` defaults to a random one. */
  createCluster: { args: { nodes: number; secret?: string; profile?: string }; result: ClusterSnapshot };
  /**
   * Attaches to nodes someone else runs: `urls` are node base URLs (http://host:8080; ws://, wss://,
   * https:// and a path such as /smq.lsp are accepted and normalized), `adminToken` the token the
   * nodes were started with. Every node must answer /health and accept the token: else
   * NodeUnreachable or Unauthorized. Saved as a profile (default name "remote").
   */
  attachCluster: { args: { urls: string[]; adminToken: string; profile?: string }; result: ClusterSnapshot };
  /**
   * Local: stops every node and fleet and forgets the cluster. Remote: detaches (stops watching and
   * the host's fleets; the nodes run on). The saved profile stays either way.
   */
  destroyCluster: { args: Record<string, never>; result: null };
  /** add/remove/stop/kill/start/restart need local nodes: a remote cluster answers NotLocal. */
  addNode: { args: Record<string, never>; result: { nodeId: NodeId } };
  removeNode: { args: { nodeId: NodeId }; result: null };
  /** A clean stop (SIGTERM): sockets close, clients reconnect elsewhere. */
  stopNode: { args: { nodeId: NodeId }; result: null };
  /** SIGKILL: a crash, as a power cut would do it. */
  killNode: { args: { nodeId: NodeId }; result: null };
  /** Starts a stopped or killed node again on its port. */
  startNode: { args: { nodeId: NodeId }; result: null };
  restartNode: { args: { nodeId: NodeId }; result: null };
  /** Cuts the link between two nodes (neither redials) until restored. */
  cutLink: { args: { a: NodeId; b: NodeId }; result: null };
  restoreLink: { args: { a: NodeId; b: NodeId }; result: null };
  startFleet: {
    args: { count: number; namePrefix?: string; spread: FleetSpread };
    result: { fleetId: string };
  };
  stopFleet: { args: { fleetId: string }; result: null };
  startLoad: { args: LoadSpec; result: { loadId: string } };
  listClients: { args: { nodeId: NodeId }; result: ClientView[] };
  disconnectClient: { args: { nodeId: NodeId; etid: number }; result: null };
  /** Starts (or changes the filter of) this connection's tap feed; batches arrive as 'tap' events. */
  watchTap: { args: { filter: TapFilter }; result: TapSettings };
  unwatchTap: { args: Record<string, never>; result: null };
  /** Cluster-wide: capture limit and ring budgets. */
  configureTap: { args: Partial<TapSettings>; result: TapSettings };
  /** Records every tapped row (this connection's filter) to a JSON-lines file on the host. */
  startRecording: { args: { payload: 'base64' | 'text' }; result: RecordingView };
  stopRecording: { args: Record<string, never>; result: RecordingView };
  /** The current snapshot, for a UI that (re)connects. */
  snapshot: { args: Record<string, never>; result: ClusterSnapshot };
}

export type CommandName = keyof Commands;
export type CommandArgs<K extends CommandName> = Commands[K]['args'];
export type CommandResult<K extends CommandName> = Commands[K]['result'];

/** Coalesced event streams. */
export type HostEvent =
  | { stream: 'cluster'; snapshot: ClusterSnapshot }
  | { stream: 'stats'; tick: StatsTick }
  | { stream: 'load'; load: LoadView }
  | { stream: 'tap'; batch: TapBatch }
  | { stream: 'topics'; topics: TopicView[] }
  | { stream: 'recording'; recording: RecordingView };

export type StreamName = HostEvent['stream'];

/** What a transport adapter (WebSocket, tests) offers: the same on both sides of the wire. */
export interface HostApi {
  call<K extends CommandName>(cmd: K, args: CommandArgs<K>): Promise<CommandResult<K>>;
  /** Returns the unsubscribe function. */
  subscribe(listener: (event: HostEvent) => void): () => void;
}

/** Messages on the host WebSocket (JSON text frames). */
export type HostRequest = {
  [K in CommandName]: { kind: 'call'; id: number; cmd: K; args: CommandArgs<K> };
}[CommandName];

export type HostReply =
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'error'; id: number; error: HostError }
  | { kind: 'event'; event: HostEvent }
  | { kind: 'hello'; version: number };

/** Thrown on the calling side when the host answers with an error. */
export class HostCallError extends Error {
  constructor(readonly error: HostError) {
    super(`${error.code}: ${error.message}`);
    this.name = 'HostCallError';
  }
}

/**
 * What the preload hands the window (and what browser mode puts in the page): the host's
 * loopback origin. The WebSocket authenticates with the HttpOnly cookie the page got.
 */
export interface ConnectionDetails {
  hostUrl: string;
  wsPath: string;
}
