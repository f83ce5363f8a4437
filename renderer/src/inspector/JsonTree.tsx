/** JSON as a tree of native <details> (collapsible by mouse and keyboard, searchable with Ctrl-F). */
export function JsonTree({ value, name, depth = 0 }: { value: unknown; name?: string; depth?: number }) {
  const label = name !== undefined ? <span className="json-key">{JSON.stringify(name)}: </span> : null;
  if (value === null || typeof value !== 'object')
    return (
      <div className="json-leaf">
        {label}
        <span className={`json-${value === null ? 'null' : typeof value}`}>{JSON.stringify(value)}</span>
      </div>
    );
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value as Record<string, unknown>);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return (
    <details className="json-node" open={depth < 3}>
      <summary>
        {label}
        {open}
        <span className="muted">
          {' '}
          {entries.length} {entries.length === 1 ? 'item' : 'items'}{' '}
        </span>
        {close}
      </summary>
      <div className="json-children">
        {entries.map(([k, v]) => (
          <JsonTree key={k} value={v} name={Array.isArray(value) ? undefined : k} depth={depth + 1} />
        ))}
      </div>
    </details>
  );
}
