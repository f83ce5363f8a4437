import { tapDestination, type TapFilter, type TapRow } from '../../../contract/hostContract.js';

/**
 * A predicate for one filter. Text matches ignore case; a pattern with * or ? is a glob over the
 * whole name (* any run of characters, ? one character), anything else a substring.
 */
export function tapPredicate(filter: TapFilter): (row: TapRow) => boolean {
  const nodes = filter.nodeIds?.length ? new Set(filter.nodeIds) : undefined;
  const kinds = filter.kinds?.length ? new Set(filter.kinds) : undefined;
  const topic = textMatcher(filter.topic);
  const subtopic = textMatcher(filter.subtopic);
  const publisher = publisherMatcher(filter.publisher);
  return (row) =>
    (!kinds || kinds.has(row.kind)) &&
    (!nodes || nodes.has(row.nodeId)) &&
    (filter.origin === undefined || (filter.origin === 'link') === (row.via !== null)) &&
    (filter.target === undefined || row.destKind === filter.target) &&
    (!filter.droppedOnly || row.dropped !== null) &&
    (!topic || topic(tapDestination(row))) &&
    (!subtopic || subtopic(row.subtopic ?? '')) &&
    (!publisher || publisher(row));
}

function textMatcher(pattern: string | undefined): ((text: string) => boolean) | undefined {
  if (!pattern) return undefined;
  if (/[*?]/.test(pattern)) {
    const source = [...pattern]
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    const re = new RegExp(`^${source}$`, 'is');
    return (text) => re.test(text);
  }
  const needle = pattern.toLowerCase();
  return (text) => text.toLowerCase().includes(needle);
}

function publisherMatcher(pattern: string | undefined): ((row: TapRow) => boolean) | undefined {
  const text = pattern?.trim();
  if (!text) return undefined;
  const etid = /^(\d+|0x[0-9a-f]+)$/i.test(text) ? Number(text) : undefined;
  const hex = text.toLowerCase().replace(/[^0-9a-f]/g, '');
  return (row) =>
    row.etid === etid || (hex.length > 0 && (row.uid ?? '').toLowerCase().replace(/:/g, '').includes(hex));
}
