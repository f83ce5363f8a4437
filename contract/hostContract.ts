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
  /**
   * Why the node is not up (port in use, crashed with signal …), or why an up node is not read
   * (TlsVerifyFailed, NodeUnreachable), or why it is not where its profile put it
   * (AddressUnavailable), for the UI.
   */
  lastError: HostError | null;
  /**
   * What a device must send to connect: 'none' (local nodes: the app starts them without
   * --password or --auth-key), 'unknown' (a remote node's flags are not visible to the host).
   */
  deviceAuth: 'none' | 'unknown';
  /**
   * The node's drain (see drainNode) while its process runs, and, while it is down after a drain
   * ended it, that drain ('drained'); null when it was never drained.
   */
  drain: DrainView | null;
  /** NATS's own state on this node (a node of a NATS cluster whose /health says so); else null. */
  nats: NodeNatsView | null;
  /**
   * A remote node's id is its cluster name: one that came back under another name (smq-node
   * without --name picks a new one each start) takes the new id; this is the one it had, until
   * it next goes down. Absent otherwise.
   */
  renamedFrom?: NodeId;
}

/** How the nodes of a cluster reach each other: WebSocket links in a full mesh, or a NATS server. */
export type ClusterTransport = 'mesh' | 'nats';

/** One node's connection to NATS, as its /health reports it. */
export interface NodeNatsView {
  state: 'connecting' | 'connected' | 'reconnecting' | 'closed';
  /** The NATS server it is connected to now (null while not connected). */
  server: string | null;
  /** Last measured round trip to that server. */
  rttMs: number | null;
  /** Reconnections since the node started. */
  reconnects: number;
  /** Bytes waiting to go out to NATS (grows while NATS is unreachable). */
  pendingBytes: number;
  /** Names of the other SMQ nodes this node hears over NATS. */
  peers: string[];
  /** The last error NATS gave it (a refused token …), null when none. */
  lastError: string | null;
}

/**
 * The NATS server of a NATS cluster: 'local', a nats-server the host runs on loopback (with a token
 * it generated); 'external', a URL the user gave or the one a remote cluster's nodes report, up
 * while any node is connected to it.
 */
export interface NatsServerView {
  origin: 'local' | 'external';
  /** nats://127.0.0.1:port, or the URL(s) given, or the servers remote nodes are connected to. */
  url: string;
  /**
   * 'restarting': a local server died and the host starts it again (same port, same token);
   * 'failed': it gave up after too many quick failures (lastError says why); 'unknown': an
   * external server while no node is up to tell.
   */
  state: 'starting' | 'up' | 'restarting' | 'failed' | 'down' | 'unknown';
  /** The local nats-server's process id while it runs. */
  pid: number | null;
  /** While restarting or failed: the quick failures in a row so far, of `max` before it gives up. */
  restart: { attempt: number; max: number } | null;
  /** How the local server's last run ended, null while it never died. */
  lastExit: { code: number | null; signal: string | null } | null;
  /** Why a local nats-server is not up: NatsCrashed, PortInUse (its port taken), NatsGaveUp. */
  lastError: HostError | null;
}

/** Whether the host can run a local nats-server (found on PATH or in /usr/sbin). */
export interface NatsAvailability {
  installed: boolean;
  path: string | null;
  /** Why not, for the create form: "nats-server is not installed". */
  reason: string | null;
}

/** How fast a drain closes clients: `batch` of them every `intervalMs`. */
export interface DrainPace {
  batch?: number;
  intervalMs?: number;
}

/**
 * A drain as the node's /health reports it: new clients are closed before Init, open ones a
 * batch at a time. 'drained' is brief: the node is stopped next.
 */
export interface DrainView {
  state: 'draining' | 'drained' | 'cancelled';
  /** Clients when the drain started. */
  total: number;
  /** Clients still connected. */
  remaining: number;
  startedAtMs: number;
}

/** The local TLS nodes' certificate (see generateCertificate). */
export interface CertificateView {
  /** PEM files under the host's data folder (mode 0600): the nodes' certificate and key. */
  certFile: string;
  keyFile: string;
  /** The host's local CA, which signed certFile: what clients, devices and browsers trust. */
  caFile: string;
  /** The IP addresses and names it is valid for. */
  hosts: string[];
  /** SHA-256 fingerprint, as browsers and `openssl x509 -fingerprint -sha256` show it. */
  fingerprint256: string;
  notAfterMs: number;
  /** When the local CA itself expires (it is remade then, and must be trusted again). */
  caNotAfterMs: number;
}

/** The certificate a running local TLS node serves: nodes read theirs when they start. */
export interface NodeCertificateView {
  nodeId: NodeId;
  /** SHA-256 fingerprint of the certificate it serves now; null when it did not answer. */
  fingerprint256: string | null;
  /** It serves the certificate on disk: false until a node started before a renewal restarts. */
  current: boolean;
}

/** The certificate on disk and what each up node of the local TLS cluster serves (no nodes without one). */
export interface CertificateStatus {
  /** Null while there is none (or none valid): a status query never makes one, generateCertificate does. */
  certificate: CertificateView | null;
  nodes: NodeCertificateView[];
}

/**
 * A host name a certificate may hold (lowercase RFC 1123 labels). An all-digit last label is a
 * mistyped IPv4 address, not a name. The host checks generateCertificate's names with it, the UI
 * before sending them.
 */
export function isHostName(name: string): boolean {
  const labels = name.split('.');
  return (
    name.length <= 253 &&
    labels.every((l) => /^(?!-)[a-z0-9-]{1,63}(?<!-)$/.test(l)) &&
    !/^\d+$/.test(labels.at(-1)!)
  );
}

/** An address of the host's machine a local node can bind to (os.networkInterfaces). */
export interface HostAddress {
  address: string;
  family: 'IPv4' | 'IPv6';
  /** The interface's name, e.g. "eth0", "lo". */
  interface: string;
  /** Loopback: only this machine reaches it. */
  internal: boolean;
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
  /** 'mesh' when no cluster exists; a remote cluster is 'nats' when its nodes report NATS. */
  transport: ClusterTransport;
  /** The NATS server of a local NATS cluster; null otherwise. */
  natsServer: NatsServerView | null;
  /**
   * The nodes serve https:// and wss:// only: a local cluster created with `tls`, or a remote one
   * whose nodes' /health says `"tls": true`. False when no cluster exists.
   */
  tls: boolean;
  /**
   * The CA file that devices must trust (`smq-devices --ca <file>`): the host's own for a local TLS
   * cluster (CertificateView.caFile), the one given to attachCluster for a remote one. Null otherwise.
   */
  caFile: string | null;
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
 * What a tap row is: a publish, or a lifecycle event. Node events (link up/down, Change sent,
 * observe …) come from inside the nodes; nodeStart/nodeStop are the host's, since a node cannot
 * report its own death.
 */
export const TAP_ROW_KINDS = [
  'publish',
  'open',
  'close',
  'subscribe',
  'unsubscribe',
  'observe',
  'unobserve',
  'change',
  'linkUp',
  'linkDown',
  'nodeStart',
  'nodeStop',
] as const;
export type TapRowKind = (typeof TAP_ROW_KINDS)[number];

/**
 * Why a client's connection closed: the broker's CloseReason codes (broker/src/node/CloseReason.ts,
 * mirrored here so the renderer need not import the broker; a contract test keeps them equal).
 */
export const CLOSE_REASONS = [
  'ClientDisconnect',
  'ClientClosed',
  'TransportError',
  'ProtocolViolation',
  'CorruptFrame',
  'FrameTooLarge',
  'PubFragOnWebSocket',
  'HandshakeTimeout',
  'BadVersion',
  'AuthRefused',
  'Replaced',
  'SlowConsumerPendingBytes',
  'SessionLimit',
  'OriginRefused',
  'NodeShutdown',
  'ClosedByAdmin',
  'Draining',
  'Drained',
] as const;
export type CloseReasonCode = (typeof CLOSE_REASONS)[number];

/** Why a cluster link went down: the broker's LinkCloseReason codes (mirrored, kept equal the same way). */
export const LINK_CLOSE_REASONS = [
  'BadSecret',
  'PeerRefused',
  'DuplicateLink',
  'SelfLink',
  'EtidPrefixClash',
  'HandshakeTimeout',
  'LinkTimeout',
  'SlowLink',
  'ProtocolViolation',
  'TransportClosed',
  'TlsVerifyFailed',
  'LinkRemoved',
  'LinkCut',
  'NodeShutdown',
] as const;
export type LinkCloseReasonCode = (typeof LINK_CLOSE_REASONS)[number];

/**
 * The reason of a nodeStart/nodeStop row: started by the host, answering again (remote), stopped
 * or killed on request, stopped by its own drain (stopped by the host, or a remote smq-node that
 * exited by itself once drained), exited by itself (code or signal in the detail), or no longer
 * answering.
 */
export const NODE_LIFECYCLE_REASONS = [
  'Started',
  'Reachable',
  'Stopped',
  'Killed',
  'Drained',
  'Exited',
  'Unreachable',
] as const;
export type NodeLifecycleReason = (typeof NODE_LIFECYCLE_REASONS)[number];

/** The typed code of a tap row: see TapRow.reason. */
export type TapRowReason = CloseReasonCode | LinkCloseReasonCode | NodeLifecycleReason;

/**
 * One row of the live traffic inspector: a publish routed by a node, or a lifecycle event.
 * Flat and JSON-safe, so lists, filters and CSV export treat every row alike.
 */
export interface TapRow {
  /** Host-assigned, strictly increasing across the whole cluster. */
  seq: number;
  timeMs: number;
  kind: TapRowKind;
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
  /**
   * A typed code: a CloseReason for 'close', a LinkCloseReason for 'linkDown', a
   * NodeLifecycleReason for 'nodeStart'/'nodeStop'.
   */
  reason: TapRowReason | null;
  /** For open/close: transport and address, and the close detail; for nodeStop: exit code or signal. */
  detail: string | null;
  /** The Connect info text of the client, for open and close. */
  info: string | null;
  /** The node at the other end of the link (linkUp/linkDown), or the node of an observed ETID. */
  peer: NodeId | null;
}

/** An ETID as the UI shows it: hex, since its high bits are the node's incarnation. */
export function etidHex(etid: number): string {
  return `0x${etid.toString(16).toUpperCase().padStart(8, '0')}`;
}

/**
 * A row's ids in the form every view shows (hex: see etidHex), for exports and recordings to
 * carry beside the numbers `etid` and `dest` (a TID or an ETID).
 */
export function tapRowIds(row: TapRow): { etidHex: string; destHex: string } {
  return { etidHex: etidHex(row.etid), destHex: etidHex(row.dest) };
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
  kinds?: TapRowKind[];
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
  /** The host's newest row seq this batch covers: a receiver's Clear marks it (watchTap afterSeq). */
  throughSeq: number;
  /**
   * Random per host process: seqs (throughSeq, afterSeq) count within one, so a receiver that sees
   * another after a reconnect (the host restarted and numbers from 1 again) drops its Clear mark.
   */
  hostInstance: string;
  /**
   * On a watch's first batch: lifecycle rows from before it began (the host keeps them while no
   * inspector is open) that only the filter's kinds hide. Absent when none, and after that batch.
   */
  hiddenLifecycle?: number;
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

/** A cluster profile saved in the app's data folder, as the profile list shows it. */
export interface ProfileView {
  name: string;
  kind: 'local' | 'remote';
  /** A remote profile's is what its nodes reported when last seen up; null when none ever answered. */
  transport: ClusterTransport | null;
  tls: boolean;
  nodes: number;
  /** When the profile was last saved (each start, attach and change of its cluster), epoch ms. */
  lastUsedMs: number;
  /** It is the cluster running now (it cannot be deleted or opened again). */
  active: boolean;
}

/**
 * What a profile's file is named after: names that differ only in characters outside
 * [A-Za-z0-9_.-] ("lab remote", "lab_remote") are one saved profile.
 */
export function profileKey(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/** The saved name among `taken` that `name` would overwrite, if any. */
export function savedAs(name: string, taken: readonly string[]): string | undefined {
  return taken.find((t) => profileKey(t) === profileKey(name));
}

/** `base` when no saved profile has that name, else the first free of `base-2`, `base-3` … */
export function nextProfileName(base: string, taken: readonly string[]): string {
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}-${i}`;
    if (savedAs(name, taken) === undefined) return name;
  }
}

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
  | 'NatsCrashed'
  | 'NatsGaveUp'
  | 'BadArguments'
  | 'Unauthorized'
  | 'AlreadyRecording'
  | 'NotRecording'
  | 'NotLocal'
  | 'NodeUnreachable'
  | 'AlreadyDraining'
  | 'NotDraining'
  | 'NatsUnavailable'
  | 'TlsVerifyFailed'
  | 'AddressUnavailable'
  | 'NoSuchProfile'
  | 'ProfileExists'
  | 'ProfileActive'
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
  NatsCrashed: true,
  NatsGaveUp: true,
  BadArguments: true,
  Unauthorized: true,
  AlreadyRecording: true,
  NotRecording: true,
  NotLocal: true,
  NodeUnreachable: true,
  AlreadyDraining: true,
  NotDraining: true,
  NatsUnavailable: true,
  TlsVerifyFailed: true,
  AddressUnavailable: true,
  NoSuchProfile: true,
  ProfileExists: true,
  ProfileActive: true,
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
  /**
   * With `tls`, every node serves https:// and wss:// with the host's self-signed certificate
   * (generated when there is none), links run over wss:// verifying it, and the host trusts it.
   */
  /**
   * `transport: 'nats'` (default 'mesh'): the nodes join through NATS (`--nats`, `--cluster` = the
   * profile name) instead of links: a local nats-server the host starts on loopback with a token it
   * generates (NatsUnavailable when none is installed), or `natsUrl` (nats://host:port, several
   * comma-separated) with an optional `natsToken`. Nodes read the token from a 0600 file.
   * `profile` defaults to the first free name of `local`, `local-2` …; a name that is saved
   * already (as profileKey compares names) is ProfileExists unless `replace` is true.
   */
  createCluster: {
    args: {
      nodes: number;
      secret?: string;
      profile?: string;
      replace?: boolean;
      tls?: boolean;
      transport?: ClusterTransport;
      natsUrl?: string;
      natsToken?: string;
    };
    result: ClusterSnapshot;
  };
  /** Whether a local nats-server can run here: the create form's NATS choice, or why it is off. */
  natsAvailability: { args: Record<string, never>; result: NatsAvailability };
  /**
   * Writes a new certificate and key for local TLS nodes under the data folder, valid for
   * 127.0.0.1, localhost and `hosts` (this machine's addresses from listAddresses; others are
   * BadArguments), signed by the host's local CA (made once, kept). It replaces the previous one:
   * TLS nodes take it at their next start, and running ones still verify, since the CA is the same.
   * `hosts` may also hold DNS names (syntax checked, else BadArguments): names are not checked against
   * this machine, since only whoever resolves them knows where they point.
   */
  generateCertificate: { args: { hosts?: string[] }; result: CertificateView };
  /** The certificate on disk and which nodes still serve an older one (restartNode makes them take it). */
  certificateStatus: { args: Record<string, never>; result: CertificateStatus };
  /**
   * Attaches to nodes someone else runs: `urls` are node base URLs (http://host:8080; ws://, wss://,
   * https:// and a path such as /smq.lsp are accepted and normalized), `adminToken` the token the
   * nodes were started with. Every node must answer /health and accept the token: else
   * NodeUnreachable, TlsVerifyFailed or Unauthorized. `caFile`: a PEM file on the host's machine
   * with the CA that signed https:// nodes' certificates (a private CA); the host trusts it (instead of
   * the system roots) for every connection to these nodes, and saves its certificates (never a key)
   * in the profile (default: the first free name of `remote`, `remote-2` …; a saved name is
   * ProfileExists unless `replace` is true, as for createCluster). No certificate in it: BadArguments.
   */
  attachCluster: {
    args: { urls: string[]; adminToken: string; profile?: string; replace?: boolean; caFile?: string };
    result: ClusterSnapshot;
  };
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
  /**
   * Maintenance: the node closes new clients before Init and its clients a batch at a time (no
   * Disconnect, so devices reconnect to the other nodes), then stops: a local node is stopped by
   * the host, a remote smq-node exits by itself. Returns once the drain started; progress is in
   * NodeView.drain. AlreadyDraining when it drains already. `batch` clients every `intervalMs`
   * set the pace (the node's defaults, 10 per 100 ms, otherwise; BadArguments out of its range).
   */
  drainNode: { args: { nodeId: NodeId } & DrainPace; result: null };
  /** Stops a drain before it ends; the node accepts clients again. NotDraining when none runs. */
  cancelDrain: { args: { nodeId: NodeId }; result: null };
  /** This machine's addresses, the ones other computers can reach first (loopback last). */
  listAddresses: { args: Record<string, never>; result: HostAddress[] };
  /**
   * Restarts a local node bound to `host` (127.0.0.1, the default, or one of listAddresses) on its
   * port, so devices on that network can reach it; the profile keeps it. BadArguments otherwise.
   */
  bindNode: { args: { nodeId: NodeId; host: string }; result: null };
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
  /**
   * Starts (or changes the filter of) this connection's tap feed; batches arrive as 'tap' events.
   * The backlog holds only rows after `afterSeq` (a batch's throughSeq when the page cleared).
   */
  watchTap: { args: { filter: TapFilter; afterSeq?: number }; result: TapSettings };
  unwatchTap: { args: Record<string, never>; result: null };
  /** Cluster-wide: capture limit and ring budgets. */
  configureTap: { args: Partial<TapSettings>; result: TapSettings };
  /** Records every tapped row (this connection's filter) to a JSON-lines file on the host. */
  startRecording: { args: { payload: 'base64' | 'text' }; result: RecordingView };
  stopRecording: { args: Record<string, never>; result: RecordingView };
  /** The current snapshot, for a UI that (re)connects. */
  snapshot: { args: Record<string, never>; result: ClusterSnapshot };
  /** The saved profiles, most recently used first. */
  listProfiles: { args: Record<string, never>; result: ProfileView[] };
  /**
   * Starts a saved local profile's nodes on their saved ports, or attaches to a remote one's nodes,
   * with its fleets. ClusterExists while a cluster runs, NoSuchProfile when none has that name.
   */
  openProfile: { args: { name: string }; result: ClusterSnapshot };
  /**
   * Deletes a saved profile and the secret or admin token it holds; returns the list left.
   * ProfileActive for the running cluster's profile, NoSuchProfile when none has that name.
   */
  deleteProfile: { args: { name: string }; result: ProfileView[] };
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
