import { describe, expect, it } from 'vitest';
import {
  LABEL_H,
  LABEL_W,
  labelPlacement,
  NODE_H,
  NODE_W,
  nodeCentre,
} from '../../renderer/src/views/topologyLayout.js';

/*
 * Where link labels go, as geometry: in a full mesh of 2 to 6 nodes no label covers another label,
 * a node, or a point where two links cross (the middle of every diagonal of a square is one).
 */

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
const box = (x: number, y: number, w: number, h: number): Box => ({
  x0: x - w / 2,
  y0: y - h / 2,
  x1: x + w / 2,
  y1: y + h / 2,
});
const hits = (a: Box, b: Box): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

function mesh(count: number) {
  const ids = Array.from({ length: count }, (_, i) => `n${i + 1}`);
  const links = ids.flatMap((a, i) => ids.slice(i + 1).map((b) => ({ a, b })));
  const at = new Map(ids.map((id, i) => [id, nodeCentre(count, i)]));
  const placed = labelPlacement(ids, links);
  const labels = links.map((l) => {
    const t = placed.get(`${l.a}~${l.b}`)!;
    const a = at.get(l.a)!;
    const b = at.get(l.b)!;
    return { ...l, a, b, t, box: box(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y), LABEL_W, LABEL_H) };
  });
  return { ids, at, labels };
}

/** Where segments ab and cd cross, away from their ends. */
function crossing(a: { x: number; y: number }, b: typeof a, c: typeof a, d: typeof a): typeof a | null {
  const den = (b.x - a.x) * (d.y - c.y) - (b.y - a.y) * (d.x - c.x);
  if (Math.abs(den) < 1e-9) return null;
  const t = ((c.x - a.x) * (d.y - c.y) - (c.y - a.y) * (d.x - c.x)) / den;
  const u = ((c.x - a.x) * (b.y - a.y) - (c.y - a.y) * (b.x - a.x)) / den;
  return t > 0.01 && t < 0.99 && u > 0.01 && u < 0.99
    ? { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) }
    : null;
}

describe('topology layout', () => {
  it('draws four nodes as a rectangle, n1 top left and clockwise', () => {
    const [n1, n2, n3, n4] = [0, 1, 2, 3].map((i) => nodeCentre(4, i));
    expect(n1!.y).toBe(n2!.y);
    expect(n3!.y).toBe(n4!.y);
    expect(n1!.x).toBe(n4!.x);
    expect(n2!.x).toBe(n3!.x);
    expect(n1!.x).toBeLessThan(n2!.x);
    expect(n1!.y).toBeLessThan(n4!.y);
  });

  for (const count of [2, 3, 4, 5, 6])
    it(`keeps every label of a ${count}-node mesh off the others, the nodes and the crossings`, () => {
      const { at, labels } = mesh(count);
      for (let i = 0; i < labels.length; i++)
        for (let j = i + 1; j < labels.length; j++)
          expect(hits(labels[i]!.box, labels[j]!.box), `${labels[i]!.t} ${labels[j]!.t}`).toBe(false);
      for (const l of labels)
        for (const c of at.values()) expect(hits(l.box, box(c.x, c.y, NODE_W, NODE_H))).toBe(false);
      for (let i = 0; i < labels.length; i++)
        for (let j = i + 1; j < labels.length; j++) {
          const p = crossing(labels[i]!.a, labels[i]!.b, labels[j]!.a, labels[j]!.b);
          if (p) for (const l of labels) expect(hits(l.box, box(p.x, p.y, 8, 8))).toBe(false);
        }
    });

  it('leaves a label in the middle of its link when nothing is in the way (three nodes)', () => {
    expect(mesh(3).labels.map((l) => l.t)).toEqual([0.5, 0.5, 0.5]);
  });
});
