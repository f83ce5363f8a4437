import type {
  CommandArgs,
  CommandName,
  CommandResult,
  HostApi,
  HostEvent,
  TapFilter,
} from '../../../contract/hostContract.js';
import { TAP_ROW_KINDS } from '../../../contract/hostContract.js';
import type { TapFeed } from '../inspector/TapFeed.js';
import type { TapHub } from '../inspector/TapHub.js';
import { hostError } from './hostError.js';

/** Commands whose state belongs to one connection (one window or tab), not to the host. */
type ConnectionCommand = 'watchTap' | 'unwatchTap' | 'startRecording';

export interface ConnectionOptions {
  /** Bytes waiting on this connection's transport; tap batches wait while it is over the limit. */
  queuedBytes?(): number;
}

/** Tap batches are held (and counted as skipped past the cap) while this much is unsent. */
const MAX_QUEUED_FOR_TAP = 1 << 20;

/**
 * The contract as one connected UI sees it: shared commands go to the host; the tap feed and its
 * filter are this connection's own, so two windows can inspect different traffic.
 */
export class HostConnection implements HostApi {
  private feed: TapFeed | undefined;
  private filter: TapFilter = {};
  /** This connection's listeners, each with its subscription to the host's shared events. */
  private readonly listeners = new Map<(e: HostEvent) => void, () => void>();

  constructor(
    private readonly shared: HostApi,
    private readonly hub: TapHub,
    private readonly options: ConnectionOptions = {},
  ) {}

  call<K extends CommandName>(cmd: K, args: CommandArgs<K>): Promise<CommandResult<K>> {
    const own = this.own[cmd as ConnectionCommand] as
      ((a: CommandArgs<K>) => Promise<CommandResult<K>>) | undefined;
    if (!own) return this.shared.call(cmd, args);
    return own(args ?? ({} as CommandArgs<K>)).catch((err: unknown) => {
      throw hostError(err);
    });
  }

  /** The host's events (with what it replays to a new subscriber) plus this connection's tap. */
  subscribe(listener: (event: HostEvent) => void): () => void {
    this.listeners.set(listener, this.shared.subscribe(listener));
    return () => {
      this.listeners.get(listener)?.();
      this.listeners.delete(listener);
    };
  }

  /**
   * The host's tap as it stands, read-only: what the nodes' taps carry ('lifecycle' while no
   * connection watches or records) and what the ring holds, for an embedder to show or log.
   */
  tapState(): { scope: TapHub['scope']; rows: number; bytes: number } {
    return { scope: this.hub.scope, ...this.hub.ringUsage() };
  }

  close(): void {
    for (const unsubscribe of this.listeners.values()) unsubscribe();
    this.listeners.clear();
    if (this.feed) this.hub.unwatch(this.feed);
    this.feed = undefined;
  }

  private readonly own: { [K in ConnectionCommand]: (args: CommandArgs<K>) => Promise<CommandResult<K>> } = {
    watchTap: async ({ filter, afterSeq = 0 }) => {
      this.filter = validFilter(filter);
      if (!Number.isSafeInteger(afterSeq) || afterSeq < 0)
        throw hostError({ code: 'BadArguments', message: 'afterSeq must be a row seq (an integer >= 0)' });
      if (this.feed) this.feed.setFilter(this.filter, afterSeq);
      else
        this.feed = this.hub.watch(
          this.filter,
          {
            canSend: () => (this.options.queuedBytes?.() ?? 0) < MAX_QUEUED_FOR_TAP,
            send: (batch) => this.emit({ stream: 'tap', batch }),
          },
          afterSeq,
        );
      return this.hub.current;
    },
    unwatchTap: async () => {
      if (this.feed) this.hub.unwatch(this.feed);
      this.feed = undefined;
      return null;
    },
    startRecording: async ({ payload }) => {
      if (payload !== 'base64' && payload !== 'text')
        throw hostError({ code: 'BadArguments', message: 'payload must be "base64" or "text"' });
      return this.hub.startRecording(this.filter, payload);
    },
  };

  private emit(e: HostEvent): void {
    for (const l of this.listeners.keys()) l(e);
  }
}

/** Shape check of a filter from the wire: unknown fields dropped, wrong types refused. */
function validFilter(f: unknown): TapFilter {
  if (typeof f !== 'object' || f === null || Array.isArray(f))
    throw hostError({ code: 'BadArguments', message: 'filter must be an object' });
  const o = f as Record<string, unknown>;
  const out: TapFilter = {};
  const text = (k: 'topic' | 'subtopic' | 'publisher'): void => {
    if (o[k] === undefined) return;
    if (typeof o[k] !== 'string' || o[k].length > 500)
      throw hostError({ code: 'BadArguments', message: `filter.${k} must be a string` });
    out[k] = o[k];
  };
  text('topic');
  text('subtopic');
  text('publisher');
  const list = (k: 'nodeIds' | 'kinds'): unknown[] | undefined => {
    if (o[k] === undefined) return undefined;
    if (!Array.isArray(o[k]) || !o[k].every((x) => typeof x === 'string'))
      throw hostError({ code: 'BadArguments', message: `filter.${k} must be a list of strings` });
    return o[k];
  };
  const nodeIds = list('nodeIds');
  if (nodeIds) out.nodeIds = nodeIds as string[];
  const kinds = list('kinds');
  if (kinds) {
    const known: readonly string[] = TAP_ROW_KINDS;
    if (!kinds.every((k) => known.includes(k as string)))
      throw hostError({ code: 'BadArguments', message: `filter.kinds: one of ${known.join(', ')}` });
    out.kinds = kinds as TapFilter['kinds'];
  }
  if (o.origin !== undefined) {
    if (o.origin !== 'local' && o.origin !== 'link')
      throw hostError({ code: 'BadArguments', message: 'filter.origin must be "local" or "link"' });
    out.origin = o.origin;
  }
  if (o.target !== undefined) {
    if (o.target !== 'topic' && o.target !== 'etid')
      throw hostError({ code: 'BadArguments', message: 'filter.target must be "topic" or "etid"' });
    out.target = o.target;
  }
  if (o.droppedOnly !== undefined) out.droppedOnly = o.droppedOnly === true;
  return out;
}
