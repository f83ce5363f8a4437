import type { LinkCloseReason } from './LinkCloseReason.js';

export type LinkState = 'handshake' | 'up' | 'closed';
export type LinkOrigin = 'configured' | 'discovered' | 'inbound';

/** What a link counts while it lives; incremented in place on every message. */
export interface LinkCounters {
  msgsIn: number;
  msgsOut: number;
  /** WebSocket frames: once up, the messages of one event-loop turn share one (a Batch). */
  framesIn: number;
  framesOut: number;
  bytesIn: number;
  bytesOut: number;
  drops: number;
}

export function newLinkCounters(): LinkCounters {
  return { msgsIn: 0, msgsOut: 0, framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0, drops: 0 };
}

/** A flat snapshot of one link for stats and the UI. */
export interface LinkInfo extends LinkCounters {
  remoteNodeId: string | undefined;
  remoteName: string | undefined;
  url: string | undefined;
  didSolicit: boolean;
  origin: LinkOrigin;
  state: LinkState;
  rttMs: number | undefined;
  /** Unsent bytes: in the socket, and written this turn but not yet framed. */
  pendingBytes: number;
  slow: boolean;
  upSince: number | undefined;
  lastActivity: number;
  closeReason: LinkCloseReason | undefined;
  closeDetail: string | undefined;
}
