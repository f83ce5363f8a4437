import { useMemo, useState, type FormEvent } from 'react';
import type { ClusterSnapshot, LoadView } from '../../../contract/hostContract.js';
import { useHost } from '../host/HostContext.js';
import { byNodeId } from '../ui/cluster.js';
import { describeError } from '../ui/errors.js';
import { formatExact } from '../ui/format.js';
import { IconPlay } from '../ui/icons.js';
import { readLayout, saveLayout } from '../ui/layout.js';
import { LoadRunList } from './LoadRunList.js';
import {
  LOAD_DEFAULTS,
  LOAD_LIMITS,
  toSpec,
  validateLoad,
  type LoadField,
  type LoadFormValues,
  type NumberField,
} from './loadForm.js';

const FIELDS: NumberField[] = ['publishers', 'subscribers', 'rate', 'payloadBytes', 'durationSec'];

/** The form as last sent (the layout), else the defaults over every node that is up. */
function initialValues(snapshot: ClusterSnapshot): LoadFormValues {
  const saved = readLayout().load;
  const known = new Set(snapshot.nodes.map((n) => n.id));
  const nodeIds = saved?.nodeIds.filter((id) => known.has(id)) ?? [];
  return {
    ...LOAD_DEFAULTS,
    ...(saved ?? {}),
    nodeIds: nodeIds.length ? nodeIds : snapshot.nodes.filter((n) => n.state === 'up').map((n) => n.id),
  };
}

/** Load runs from the UI: a form, the running run's live progress, and the results of past runs. */
export function LoadRunsView({
  snapshot,
  loads,
}: {
  snapshot: ClusterSnapshot;
  loads: Record<string, LoadView>;
}) {
  const host = useHost();
  const nodes = useMemo(() => [...snapshot.nodes].sort((a, b) => byNodeId(a.id, b.id)), [snapshot.nodes]);
  const up = useMemo(() => new Set(nodes.filter((n) => n.state === 'up').map((n) => n.id)), [nodes]);
  const [values, setValues] = useState<LoadFormValues>(() => initialValues(snapshot));
  const [touched, setTouched] = useState<ReadonlySet<LoadField>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [pending, setPending] = useState(false);
  const [hostError, setHostError] = useState<{ code: string; message: string } | null>(null);

  const runs = useMemo(
    () => Object.values(loads).sort((a, b) => b.startedAtMs - a.startedAtMs || b.id.localeCompare(a.id)),
    [loads],
  );
  const running = runs.find((r) => r.state === 'running');
  const errors = validateLoad(values, up);
  const shown = (f: LoadField): string | undefined => (submitted || touched.has(f) ? errors[f] : undefined);

  const set = <K extends LoadField>(field: K, value: LoadFormValues[K]): void => {
    setValues((v) => ({ ...v, [field]: value }));
    setTouched((t) => new Set(t).add(field));
    setHostError(null);
  };

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const invalid = (['nodeIds', ...FIELDS] as LoadField[]).find((f) => errors[f]);
    if (invalid) {
      setSubmitted(true);
      const target =
        invalid === 'nodeIds' ? `load-node-${nodes.find((n) => up.has(n.id))?.id ?? ''}` : `load-${invalid}`;
      document.getElementById(target)?.focus();
      return;
    }
    setPending(true);
    setHostError(null);
    try {
      await host.call('startLoad', toSpec(values, up));
      saveLayout({ load: values });
    } catch (err) {
      setHostError(describeError(err));
    } finally {
      setPending(false);
    }
  };

  const perSec = values.publishers * values.rate;
  const summaryValid = !errors.publishers && !errors.rate && !errors.subscribers && !errors.durationSec;

  return (
    <div className="view load-view">
      <div className="toolbar">
        <div className="toolbar-title">
          <h2>Load</h2>
          <span className="muted">
            Publishers and subscribers on the nodes you choose: delivery, loss and latency through the
            cluster.
          </span>
        </div>
      </div>
      <div className="load-layout">
        <section className="panel load-form-panel" aria-labelledby="load-form-title">
          <header className="panel-head">
            <h3 id="load-form-title">New load run</h3>
          </header>
          <form className="load-form" aria-labelledby="load-form-title" noValidate onSubmit={submit}>
            <fieldset
              className="load-nodes"
              aria-invalid={shown('nodeIds') ? true : undefined}
              aria-describedby={shown('nodeIds') ? 'load-nodeIds-error' : 'load-nodes-help'}
            >
              <legend>Nodes</legend>
              <div className="load-node-checks">
                {nodes.map((n) => (
                  <label key={n.id} className={`check load-node-check${up.has(n.id) ? '' : ' down'}`}>
                    <input
                      type="checkbox"
                      id={`load-node-${n.id}`}
                      checked={values.nodeIds.includes(n.id) && up.has(n.id)}
                      disabled={!up.has(n.id)}
                      onChange={(e) =>
                        set(
                          'nodeIds',
                          e.target.checked
                            ? [...values.nodeIds.filter((id) => id !== n.id), n.id]
                            : values.nodeIds.filter((id) => id !== n.id),
                        )
                      }
                    />
                    <span className="mono">{n.id}</span>
                    {!up.has(n.id) && <span className="muted small">{n.state}</span>}
                  </label>
                ))}
              </div>
              {shown('nodeIds') ? (
                <p id="load-nodeIds-error" className="field-error">
                  {shown('nodeIds')}
                </p>
              ) : (
                <p id="load-nodes-help" className="hint">
                  Clients connect to these nodes in turn, so publishers and subscribers sit on different
                  nodes.
                </p>
              )}
            </fieldset>
            <div className="load-fields">
              {FIELDS.map((f) => (
                <NumberInput
                  key={f}
                  field={f}
                  value={values[f]}
                  error={shown(f)}
                  onChange={(v) => set(f, v)}
                />
              ))}
            </div>
            <p className="load-summary small" aria-live="polite">
              {summaryValid
                ? `${formatExact(perSec)}\u00a0msg/s sent, ${formatExact(perSec * values.subscribers)}\u00a0deliveries/s expected, for ${values.durationSec}\u00a0s.`
                : 'Fix the fields above to see the expected traffic.'}
            </p>
            {hostError && (
              <p className="inline-alert" role="alert" data-testid="load-host-error">
                <code>{hostError.code}</code> {hostError.message}
              </p>
            )}
            <div className="load-actions">
              <button
                type="submit"
                className="btn btn-primary"
                disabled={pending || running !== undefined}
                aria-busy={pending || undefined}
                aria-describedby={running ? 'load-busy' : undefined}
              >
                <IconPlay /> {pending ? 'Starting…' : 'Start load run'}
              </button>
              {running && (
                <span id="load-busy" className="muted small">
                  {running.id} is running; its progress and result are under Runs.
                </span>
              )}
            </div>
          </form>
        </section>
        <section className="panel load-runs-panel" aria-labelledby="load-runs-title">
          <header className="panel-head">
            <h3 id="load-runs-title">Runs</h3>
            <span className="muted small">newest first · kept by the host for this session</span>
          </header>
          <div className="panel-body scroll">
            <LoadRunList runs={runs} />
          </div>
        </section>
      </div>
    </div>
  );
}

function NumberInput({
  field,
  value,
  error,
  onChange,
}: {
  field: NumberField;
  value: number;
  error: string | undefined;
  onChange: (v: number) => void;
}) {
  const { min, max, label, unit } = LOAD_LIMITS[field];
  const id = `load-${field}`;
  return (
    <div className={`field load-field load-field-${field === 'rate' ? 'rate' : 'short'}`}>
      <label htmlFor={id}>
        {label}
        {unit && <span className="unit"> ({unit})</span>}
      </label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        step={1}
        value={Number.isNaN(value) ? '' : value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.valueAsNumber)}
      />
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
