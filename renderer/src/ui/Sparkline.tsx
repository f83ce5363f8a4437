/** A tiny line chart of recent values (no axes); empty until two points exist. */
export function Sparkline({ values, label }: { values: number[]; label: string }) {
  const w = 120;
  const h = 28;
  if (values.length < 2)
    return <svg className="sparkline" width={w} height={h} role="img" aria-label={`${label}: no data yet`} />;
  const max = Math.max(1, ...values);
  const step = w / (values.length - 1);
  const pts = values
    .map((v, i) => `${(i * step).toFixed(1)},${(h - 2 - (v / max) * (h - 4)).toFixed(1)}`)
    .join(' ');
  return (
    <svg className="sparkline" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label}>
      <polyline points={`0,${h} ${pts} ${w},${h}`} className="sparkline-fill" />
      <polyline points={pts} className="sparkline-line" />
    </svg>
  );
}
