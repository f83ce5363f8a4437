import type { Random } from './random.js';

/** Tenths of °C the simulated sensor drifts around when no start value is given: 20.0..24.9 °C. */
export function startTemperature(random: Random): number {
  return 200 + Math.floor(random() * 50);
}

/** How far (tenths of °C) the drift may wander from where it started before it is pulled back. */
const MAX_WANDER = 30;

/**
 * One drift step of a simulated sensor: down a tenth, unchanged or up a tenth, equally likely;
 * beyond MAX_WANDER from `base` the step away from it becomes "unchanged", so the value wanders
 * slowly and stays plausible for a room.
 */
export function driftTemperature(current: number, base: number, random: Random): number {
  const r = random();
  let step = r < 1 / 3 ? -1 : r < 2 / 3 ? 0 : 1;
  if (current - base >= MAX_WANDER && step > 0) step = 0;
  if (base - current >= MAX_WANDER && step < 0) step = 0;
  return Math.max(-0x8000, Math.min(0x7fff, current + step));
}
