import { readFileSync } from 'node:fs';

/** Count and summed self size of the nodes of one kind ("object: Session", "closure: ", ...). */
export type KindSizes = Map<string, { count: number; bytes: number }>;

interface HeapSnapshotFile {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Self sizes of a .heapsnapshot grouped by node type and constructor name (strings: one kind). */
export function kindSizes(file: string): KindSizes {
  const s = JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshotFile;
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const width = fields.length;
  const ti = fields.indexOf('type');
  const ni = fields.indexOf('name');
  const si = fields.indexOf('self_size');
  const out: KindSizes = new Map();
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + ti]!]!;
    const name =
      type.endsWith('string') || type === 'number' ? '' : s.strings[s.nodes[i + ni]!]!.slice(0, 50);
    const key = `${type}: ${name}`;
    const e = out.get(key) ?? { count: 0, bytes: 0 };
    e.count++;
    e.bytes += s.nodes[i + si]!;
    out.set(key, e);
  }
  return out;
}

/** (after − before) / per, largest first: what each connection holds, by kind. */
export function perUnit(
  before: KindSizes,
  after: KindSizes,
  per: number,
): { kind: string; count: number; bytes: number }[] {
  const rows = [...after].map(([kind, a]) => {
    const b = before.get(kind) ?? { count: 0, bytes: 0 };
    return { kind, count: (a.count - b.count) / per, bytes: (a.bytes - b.bytes) / per };
  });
  return rows.sort((x, y) => y.bytes - x.bytes);
}
