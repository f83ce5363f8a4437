import type { LoadSpec } from '../../../contract/hostContract.js';

/** The load form as the user fills it in: numbers are NaN while a field is empty. */
export interface LoadFormValues {
  nodeIds: string[];
  publishers: number;
  subscribers: number;
  /** Messages per second, per publisher. */
  rate: number;
  payloadBytes: number;
  durationSec: number;
}

export type NumberField = Exclude<keyof LoadFormValues, 'nodeIds'>;
export type LoadField = keyof LoadFormValues;

/** 2 publishers × 1,000 msg/s to 10 subscribers, 64-byte payloads, for 10 s. */
export const LOAD_DEFAULTS: Omit<LoadFormValues, 'nodeIds'> = {
  publishers: 2,
  subscribers: 10,
  rate: 1000,
  payloadBytes: 64,
  durationSec: 10,
};

/**
 * What this form lets through. The payload floor is the load run's own (a send time and a sequence
 * number, 16 bytes); the host refuses the rest with BadArguments, which the form shows too.
 */
export const LOAD_LIMITS: Record<NumberField, { min: number; max: number; label: string; unit: string }> = {
  publishers: { min: 1, max: 100, label: 'Publishers', unit: '' },
  subscribers: { min: 1, max: 1000, label: 'Subscribers', unit: '' },
  rate: { min: 1, max: 100_000, label: 'Rate per publisher', unit: 'msg/s' },
  payloadBytes: { min: 16, max: 65_520, label: 'Payload', unit: 'bytes' },
  durationSec: { min: 1, max: 600, label: 'Duration', unit: 'seconds' },
};

/** Deliveries per second (publishers × rate × subscribers) one laptop can be asked for. */
export const MAX_DELIVERIES_PER_SEC = 1_000_000;

/** One message per invalid field, in form order; empty when the form can be sent. */
export function validateLoad(
  v: LoadFormValues,
  upNodes: ReadonlySet<string>,
): Partial<Record<LoadField, string>> {
  const errors: Partial<Record<LoadField, string>> = {};
  if (!v.nodeIds.some((id) => upNodes.has(id))) errors.nodeIds = 'Choose at least one node that is up.';
  for (const [field, { min, max, label, unit }] of Object.entries(LOAD_LIMITS) as [
    NumberField,
    (typeof LOAD_LIMITS)[NumberField],
  ][]) {
    const n = v[field];
    if (!Number.isInteger(n) || n < min || n > max) {
      errors[field] =
        `${label}: a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}` +
        `${unit ? ` ${unit}` : ''}.`;
    }
  }
  if (!errors.rate && !errors.publishers && !errors.subscribers) {
    const perSec = v.publishers * v.rate * v.subscribers;
    if (perSec > MAX_DELIVERIES_PER_SEC) {
      errors.rate = `That is ${perSec.toLocaleString('en-US')} deliveries per second; keep publishers × rate × subscribers at or under ${MAX_DELIVERIES_PER_SEC.toLocaleString('en-US')}.`;
    }
  }
  return errors;
}

/** The contract's LoadSpec for a valid form, over the chosen nodes that are up. */
export function toSpec(v: LoadFormValues, upNodes: ReadonlySet<string>): LoadSpec {
  return {
    nodeIds: v.nodeIds.filter((id) => upNodes.has(id)),
    publishers: v.publishers,
    subscribers: v.subscribers,
    rate: v.rate,
    payloadBytes: v.payloadBytes,
    durationMs: v.durationSec * 1000,
  };
}
