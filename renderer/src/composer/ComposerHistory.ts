import type { PayloadFormat } from './payloadInput.js';

/** One sent message, enough to send it again. */
export interface SentMessage {
  nodeId: string;
  /** A topic name, or an ETID (one-to-one). */
  target: { kind: 'topic'; topic: string } | { kind: 'etid'; etid: number; label: string };
  subtopic: string;
  format: PayloadFormat;
  payload: string;
  atMs: number;
}

export const HISTORY_SIZE = 20;
const KEY = 'smq-cc.composer.history';

const same = (a: SentMessage, b: SentMessage): boolean =>
  a.nodeId === b.nodeId &&
  JSON.stringify(a.target) === JSON.stringify(b.target) &&
  a.subtopic === b.subtopic &&
  a.format === b.format &&
  a.payload === b.payload;

/** The last sent messages, newest first, without repeats; kept in the page's storage. */
export function remember(history: readonly SentMessage[], sent: SentMessage): SentMessage[] {
  return [sent, ...history.filter((h) => !same(h, sent))].slice(0, HISTORY_SIZE);
}

export function loadHistory(storage: Pick<Storage, 'getItem'> | null): SentMessage[] {
  try {
    const value = JSON.parse(storage?.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(value) ? (value as SentMessage[]).slice(0, HISTORY_SIZE) : [];
  } catch {
    return [];
  }
}

export function saveHistory(storage: Pick<Storage, 'setItem'> | null, history: readonly SentMessage[]): void {
  try {
    storage?.setItem(KEY, JSON.stringify(history));
  } catch {
    // Storage full or denied: the history lives for this page only.
  }
}
