/*
 * Where the topology graph draws its nodes and link labels: pure geometry, no React. Nodes sit on
 * an ellipse; each link's label sits along its link where it covers no node, no other label and
 * no crossing of two links (a label on a crossing cannot tell which of the two links it names).
 */

import type { LinkView } from '../../../contract/hostContract.js';
import { linkKey } from '../ui/cluster.js';

export const NODE_W = 168;
export const NODE_H = 68;
/** The widest link label ("connecting", "12.3 ms") with its padding, and its height: fixed, so a
 *  label does not jump along its link when its text changes. */
export const LABEL_W = 78;
export const LABEL_H = 20;
/** Room kept clear around a label. */
const GAP = 4;
/** What a crossing of two links blocks: a label must not sit on it. */
const CROSSING = 24;

export interface Point {
  x: number;
  y: number;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Node i of `count`'s top-left corner, on an ellipse wider than tall, like the panel the graph sits
 * in, so a small cluster is drawn at full size. One node: centred; three: a triangle with its tip
 * up. An even count from 4 has a flat top and bottom (4: a rectangle, n1 top left, clockwise).
 */
export function nodePosition(count: number, i: number): Point {
  if (count <= 1) return { x: -NODE_W / 2, y: -NODE_H / 2 };
  const rx = Math.max(200, 70 * count);
  const ry = Math.max(110, 42 * count);
  const start = -Math.PI / 2 - (count >= 4 && count % 2 === 0 ? Math.PI / count : 0);
  const a = start + (2 * Math.PI * i) / count;
  return { x: Math.round(rx * Math.cos(a)) - NODE_W / 2, y: Math.round(ry * Math.sin(a)) - NODE_H / 2 };
}

/** The NATS hub of a cluster on NATS, drawn at the centre. */
export const HUB_W = 128;
export const HUB_H = 56;
/** Spokes longer than mesh links: room for the hub and a label between it and each node. */
const SPOKE_SCALE = 1.3;

/**
 * Node i of `count` around the NATS hub: the mesh's ellipse, wider, and never the centre (one node
 * sits where the first of two would).
 */
export function spokePosition(count: number, i: number): Point {
  const p = nodePosition(Math.max(count, 2), i);
  const cx = p.x + NODE_W / 2;
  const cy = p.y + NODE_H / 2;
  return { x: Math.round(cx * SPOKE_SCALE) - NODE_W / 2, y: Math.round(cy * SPOKE_SCALE) - NODE_H / 2 };
}

/** Where along a link its label is tried: the middle first, then further out on either side. */
const CANDIDATES = [0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75, 0.2, 0.8];

const around = (p: Point, w: number, h: number): Box => ({
  x0: p.x - w / 2,
  y0: p.y - h / 2,
  x1: p.x + w / 2,
  y1: p.y + h / 2,
});

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return w > 0 && h > 0 ? w * h : 0;
}

const along = (a: Point, b: Point, t: number): Point => ({
  x: a.x + t * (b.x - a.x),
  y: a.y + t * (b.y - a.y),
});

/** Where segments ab and cd cross (not at a shared end), or null. */
function crossing(a: Point, b: Point, c: Point, d: Point): Point | null {
  const den = (b.x - a.x) * (d.y - c.y) - (b.y - a.y) * (d.x - c.x);
  if (Math.abs(den) < 1e-9) return null;
  const t = ((c.x - a.x) * (d.y - c.y) - (c.y - a.y) * (d.x - c.x)) / den;
  const u = ((c.x - a.x) * (b.y - a.y) - (c.y - a.y) * (b.x - a.x)) / den;
  const inside = (v: number): boolean => v > 1e-6 && v < 1 - 1e-6;
  return inside(t) && inside(u) ? along(a, b, t) : null;
}

/** Node i of `count`'s centre. */
export function nodeCentre(count: number, i: number): Point {
  const p = nodePosition(count, i);
  return { x: p.x + NODE_W / 2, y: p.y + NODE_H / 2 };
}

/**
 * For each link (by linkKey), how far along from `a` to `b` its label sits (0..1), with the nodes
 * at nodePosition in `nodeIds` order. Links are placed in order, each at the first candidate spot
 * that covers nothing; when none is free, at the one that covers least.
 */
export function labelPlacement(
  nodeIds: readonly string[],
  links: readonly Pick<LinkView, 'a' | 'b'>[],
): Map<string, number> {
  const centres = new Map(nodeIds.map((id, i) => [id, nodeCentre(nodeIds.length, i)]));
  const ends = links.flatMap((l) => {
    const a = centres.get(l.a);
    const b = centres.get(l.b);
    return a && b ? [{ key: linkKey(l), a, b }] : [];
  });
  const blocked: Box[] = [...centres.values()].map((c) => around(c, NODE_W + 2 * GAP, NODE_H + 2 * GAP));
  for (let i = 0; i < ends.length; i++)
    for (let j = i + 1; j < ends.length; j++) {
      const p = crossing(ends[i]!.a, ends[i]!.b, ends[j]!.a, ends[j]!.b);
      if (p) blocked.push(around(p, CROSSING, CROSSING));
    }
  const out = new Map<string, number>();
  for (const { key, a, b } of ends) {
    let best = { t: 0.5, covered: Infinity, box: around(along(a, b, 0.5), LABEL_W, LABEL_H) };
    for (const t of CANDIDATES) {
      const box = around(along(a, b, t), LABEL_W + 2 * GAP, LABEL_H + 2 * GAP);
      const covered = blocked.reduce((sum, o) => sum + overlap(box, o), 0);
      if (covered < best.covered) best = { t, covered, box };
      if (covered === 0) break;
    }
    out.set(key, best.t);
    blocked.push(best.box);
  }
  return out;
}
