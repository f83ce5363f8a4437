/** Display formatting shared by the views. */
import { etidHex } from '../../../contract/hostContract.js';

export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const abs = Math.abs(n);
  if (abs < 1000) return String(Math.round(n));
  if (abs < 1_000_000) return `${trim(n / 1000)}k`;
  if (abs < 1_000_000_000) return `${trim(n / 1_000_000)}M`;
  return `${trim(n / 1_000_000_000)}G`;
}

/**
 * A per-second rate without its unit: one decimal below 100 ("0.4", "12.3"), whole numbers to 999,
 * then k/M/G ("12.3k"). Light traffic never reads 0: anything above 0 but under 0.1 is "<0.1".
 */
export function formatRate(perSec: number): string {
  if (!Number.isFinite(perSec)) return '–';
  if (perSec <= 0) return '0';
  if (perSec < 0.1) return '<0.1';
  if (perSec < 99.95) return perSec.toFixed(1);
  return formatCount(perSec);
}

/** "0.4 msg/s", "12.3k msg/s". */
export function formatMsgRate(perSec: number): string {
  return `${formatRate(perSec)} msg/s`;
}

/** Latency in ms: "0.42 ms", "3.1 ms", "120 ms", "1.5 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A whole count with thousands separators ("20,000"): exact, for results that are counted. */
export function formatExact(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–';
}

/**
 * A byte rate: "1.2 B/s" (one decimal below 100 B/s, "<0.1 B/s" for a trickle, so light traffic
 * never reads 0), then "12.3 KiB/s" and up.
 */
export function formatByteRate(perSec: number): string {
  return perSec < 1024 ? `${formatRate(perSec)} B/s` : `${formatBytes(perSec)}/s`;
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 ** 2) return `${trim(n / 1024)} KiB`;
  if (n < 1024 ** 3) return `${trim(n / 1024 ** 2)} MiB`;
  return `${trim(n / 1024 ** 3)} GiB`;
}

function trim(v: number): string {
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

export function formatDuration(ms: number): string {
  if (ms <= 0) return '–';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${String(h % 24).padStart(2, '0')}h`;
}

export function formatRtt(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}

/** ETIDs carry a node-incarnation prefix in their high bits: hex shows it. */
export function formatEtid(etid: number | null): string {
  if (etid === null) return '–';
  return etidHex(etid);
}

/** Tenths of a degree Celsius. */
export function formatTemp(tenths: number): string {
  return `${(tenths / 10).toFixed(1)} °C`;
}

export function formatClock(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour12: false });
}
