import type { ConnackCode } from '../protocol/constants.js';
import type { Session } from './Session.js';

/** What an authenticate hook may answer: accept, refuse with AccessDenied, or refuse with a code. */
export type AuthResult = boolean | { code: ConnackCode; reason?: string };

export interface AuthRequest {
  uid: Buffer;
  credentials: Buffer;
  info: Buffer;
  seed: number;
  ip: string;
}

/**
 * Policy hooks. permit* and onPublish run synchronously so acks keep request order. A hook that
 * throws never takes the node down: the error is logged, and permit* deny, onPublish lets the
 * message pass, onDrop is ignored.
 */
export interface NodeHooks {
  /**
   * Anything but `true` or `{ code }` (undefined from a JS caller, say) refuses with AccessDenied;
   * a throw or a rejection closes without Connack. The handshake deadline runs until it answers.
   */
  authenticate?(req: AuthRequest): AuthResult | Promise<AuthResult>;
  permitTopic?(name: Buffer, isSubscribe: boolean, session: Session): boolean;
  permitSubtopic?(name: Buffer, session: Session): boolean;
  /** Return false to drop the message (counted and tapped as dropped by hook). */
  onPublish?(msg: PublishInfo): boolean | undefined;
  /** A routed message reached nobody, was refused by onPublish, or a receiver was too slow. */
  onDrop?(msg: PublishInfo, reason: DropReason): void;
}

export type DropReason = 'noReceiver' | 'hook' | 'slowConsumer';

/** Why a Subscribe/Create/Createsub got a denied ack: empty or too long, permit* hook, a full table. */
export type DenyReason = 'badName' | 'hook' | 'topicLimit' | 'subtopicLimit';

/** A routed Publish as hooks see it; `packet` is the wire packet (type byte first), not a copy. */
export interface PublishInfo {
  dest: number;
  ptid: number;
  subtid: number;
  packet: Buffer;
  from: Session | undefined;
}

export interface NodeLimits {
  /** Connections (handshaking ones included); over it a socket is closed before Init. */
  maxSessions: number;
  maxTopicNameLength: number;
  /** Topic names a node holds (TIDs live as long as the node); a client asking for more is denied. */
  maxTopics: number;
  /** Sub-topic names a node holds; a client asking for more is denied. */
  maxSubtopics: number;
  /** A connection with more unsent bytes than this is a slow consumer: message dropped, closed. */
  maxPendingBytes: number;
  /**
   * Connect must arrive, and authenticate answer, this long after Init; else the session closes
   * (with Connack 2 first only for clients that read Connack reasons: not C-style raw clients).
   */
  handshakeTimeoutMs: number;
  /** Packets buffered while an async authenticate hook decides. */
  maxQueuedDuringAuth: number;
  /** Payload bytes copied into each tap event. */
  tapCaptureBytes: number;
}

export const DEFAULT_LIMITS: NodeLimits = {
  maxSessions: 100_000,
  maxTopicNameLength: 512,
  // One per-device topic for every session maxSessions admits; 10% of the TID range. Worst case
  // (every name 512 bytes) about 120 MB per table, where one client could take all memory before.
  maxTopics: 100_000,
  maxSubtopics: 100_000,
  maxPendingBytes: 4 * 1024 * 1024,
  handshakeTimeoutMs: 4000,
  maxQueuedDuringAuth: 64,
  tapCaptureBytes: 256,
};

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

export interface NodeOptions {
  /** Shown in stats, tap and logs; defaults to a short random id. */
  name?: string;
  limits?: Partial<NodeLimits>;
  hooks?: NodeHooks;
  /** Topic names pre-registered at fixed TIDs (2 .. 0xFFFFF), as real deployments do. */
  topics?: Record<string, number>;
  /** ETID incarnation prefix (1..4095); random by default, new on every start. */
  etidPrefix?: number;
  log?: Logger;
}
