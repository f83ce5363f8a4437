/** The public types of the SMQ client, shared by the Node and browser entry points. */

/** Bytes, or text sent as UTF-8. */
export type Data = string | Uint8Array;

/** Credentials for Connect: fixed, or computed from the Init seed (e.g. the C device's seeded SHA-1). */
export type Credentials = Data | ((seed: number, ip: string) => Data | Promise<Data>);

export interface ReconnectOptions {
  /** First delay after a loss or failed attempt; doubles per failure. Default 250 ms. */
  minDelayMs?: number;
  /** Cap of the doubling. Default 30 s. */
  maxDelayMs?: number;
}

export interface ClientOptions {
  /** 6..255 bytes identifying this client to the broker; a random 8-byte id when absent. */
  uid?: Data;
  credentials?: Credentials;
  /** Free text in Connect (the C device sends its name). */
  info?: string;
  /** false: never reconnect. Default: reconnect with exponential backoff and jitter. */
  reconnect?: false | ReconnectOptions;
  /** Time from opening a transport to Connack. Default 10 s. */
  handshakeTimeoutMs?: number;
  /** Publishes kept while disconnected; over it the oldest is dropped and counted. Default 1000. */
  maxQueuedPublishes?: number;
  /**
   * Raw TCP only: a payload longer than this goes out as PubFrag fragments of this many bytes, the
   * way the C client streams a message through its fixed buffer (SMQ_write, then SMQ_pubflush).
   * The C LED device's 127-byte buffer carries 112. Over WebSocket one Publish, always. Default: off.
   */
  fragmentSize?: number;
}

/**
 * Receives a message: data decoded per datatype, the publisher's ETID (reply address), the
 * destination (topic TID or own ETID) and the sub-topic id.
 */
export type MessageHandler<T> = (data: T, ptid: number, tid: number, subtid: number) => void;

/** Like the published client's onack: accepted, topic, tid, and the sub-topic if one was asked. */
export type AckHandler = (
  accepted: boolean,
  topic: string,
  tid: number,
  subtopic: string | undefined,
  subtid: number,
) => void;

interface SubscribeCommon {
  /** Only messages with this sub-topic reach this handler; others go to the topic's plain handler. */
  subtopic?: string;
  onack?: AckHandler;
}

export type Datatype = 'binary' | 'text' | 'json';

/** The datatype picks the type of `data`; binary (raw bytes) when omitted. */
export type SubscribeOptions =
  | (SubscribeCommon & { datatype?: 'binary'; onmsg: MessageHandler<Uint8Array> })
  | (SubscribeCommon & { datatype: 'text'; onmsg: MessageHandler<string> })
  | (SubscribeCommon & { datatype: 'json'; onmsg: MessageHandler<unknown> });

/**
 * Subscriber count of an observed topic (second argument: its name), or 0 when an observed ETID is
 * gone (second argument: the ETID; the observation then ends).
 */
export type ChangeHandler = (count: number, topicOrEtid: string | number) => void;

export type CloseCause =
  /** The connection dropped (socket closed, handshake timeout). */
  | 'lost'
  /** The broker sent something no published client accepts. */
  | 'protocol'
  /** Connack with a non-zero code; `code` holds it. Never retried. */
  | 'refused'
  /** The broker sent Disconnect ("reconnect": same uid connected elsewhere; "corrupt frame"). */
  | 'disconnect'
  /** disconnect() was called. */
  | 'client';

export interface CloseInfo {
  reason: string;
  cause: CloseCause;
  /** True when the client will try again on its own. */
  reconnecting: boolean;
  /** The Connack return code, for cause 'refused'. */
  code?: number;
  url: string;
}

export interface ClientStats {
  /** Publishes given up: queue overflow, or the topic/sub-topic was denied. */
  droppedPublishes: number;
  /** Messages no handler and no `onmsg` took. */
  unhandledMessages: number;
  /** Acks for a name with no request outstanding (a broker bug). */
  unexpectedAcks: number;
}
