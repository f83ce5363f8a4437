import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { ClusterSnapshot, TapFilter } from '../../../contract/hostContract.js';
import { describeError } from '../ui/errors.js';
import { formatCount } from '../ui/format.js';
import { readLayout, saveLayout } from '../ui/layout.js';
import { IconInspector, IconPause, IconPlay, IconSend, IconTrash } from '../ui/icons.js';
import { Composer } from '../composer/Composer.js';
import { ExportButtons, RecordButton } from './InspectorActions.js';
import { DEFAULT_FILTER, InspectorFilters } from './InspectorFilters.js';
import type { InspectorStore } from './InspectorStore.js';
import { TapDetail } from './TapDetail.js';
import { TapList } from './TapList.js';
import { TapSettingsForm } from './TapSettingsForm.js';
import { emptyListText } from './tapKinds.js';
import { TopicStrip } from './TopicStrip.js';

/**
 * Live traffic from inside every node: filters, a virtualized list that can pause and follow,
 * a payload detail pane, the busiest topics, export and recording. The page asks for its feed
 * while this view is open; while nobody watches, the nodes tap lifecycle events only and the host
 * keeps them, so the list starts with what happened meanwhile (a hint offers them when Show's
 * default, publishes only, hides them).
 */
export function InspectorView({ store, snapshot }: { store: InspectorStore; snapshot: ClusterSnapshot }) {
  const state = useSyncExternalStore(store.subscribe, store.get);
  const [selected, setSelected] = useState<number | null>(null);
  const [follow, setFollow] = useState(true);
  // Open or closed as it was before a reload (the CSP guard reloads once for a new node).
  const [composing, setComposing] = useState(() => readLayout().composerOpen === true);
  const toggleComposer = (): void => {
    setComposing(!composing);
    saveLayout({ composerOpen: !composing });
  };

  useEffect(() => {
    void store.watch(store.startFilter(DEFAULT_FILTER));
    return () => void store.unwatch();
  }, [store]);

  const setFilter = useCallback((filter: TapFilter) => void store.setFilter(filter), [store]);
  const selectedRow = selected === null ? undefined : state.rows.find((r) => r.seq === selected);
  const error = state.error ? describeError(state.error) : null;
  const empty = emptyListText(state.filter.kinds, state.seen > 0);

  return (
    <div className="view inspector-view">
      <div className="toolbar">
        <div className="toolbar-title">
          <h2>Inspector</h2>
          <span className="muted small" role="status" aria-live="off">
            {formatCount(state.seen)} tapped · {formatCount(state.matched)} matched
            {state.skipped > 0 && (
              <span
                className="tap-skipped"
                title="Rows not shown: more than the page can take, or overwritten"
              >
                {' '}
                · {formatCount(state.skipped)} skipped
              </span>
            )}
            {state.paused && ` · paused, ${formatCount(state.heldWhilePaused)} new`}
          </span>
        </div>
        <div className="toolbar-actions">
          <button
            type="button"
            className="btn"
            aria-pressed={state.paused}
            onClick={() => store.setPaused(!state.paused)}
          >
            {state.paused ? <IconPlay /> : <IconPause />} {state.paused ? 'Resume' : 'Pause'}
          </button>
          <label className="check">
            <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
          </label>
          <button type="button" className="btn" onClick={() => (store.clear(), setSelected(null))}>
            <IconTrash /> Clear
          </button>
          <TapSettingsForm settings={state.settings} onApply={(c) => void store.configure(c)} />
          <button type="button" className="btn" aria-expanded={composing} onClick={toggleComposer}>
            <IconSend /> Publish…
          </button>
          <RecordButton recording={state.recording} onRecord={(on) => void store.record(on)} />
          <ExportButtons rows={state.rows} />
        </div>
      </div>

      {composing && <Composer nodes={snapshot.nodes} />}
      <InspectorFilters filter={state.filter} nodes={snapshot.nodes} onChange={setFilter} />
      <TopicStrip
        topics={state.topics}
        active={state.filter.topic}
        onPick={(topic) =>
          setFilter({ ...state.filter, topic: state.filter.topic === topic ? undefined : topic })
        }
      />

      {state.hiddenLifecycle > 0 && (
        <p className="tap-kept-hint" role="status">
          <span>
            <strong>
              {formatCount(state.hiddenLifecycle)} lifecycle{' '}
              {state.hiddenLifecycle === 1 ? 'event' : 'events'}
            </strong>{' '}
            from before you opened the Inspector (node stops, links, connects…){' '}
            {state.hiddenLifecycle === 1 ? 'is' : 'are'} hidden by Show.
          </span>
          <button
            type="button"
            className="btn"
            onClick={() => setFilter({ ...state.filter, kinds: undefined })}
          >
            Show all kinds
          </button>
        </p>
      )}

      {error && (
        <p className="inline-alert" role="alert">
          <code>{error.code}</code> {error.message}
        </p>
      )}

      <div className="inspector-split">
        <section className="panel grow">
          {state.rows.length === 0 ? (
            <div className="empty-inline">
              <IconInspector />
              <div>
                <strong>{empty.title}</strong> {empty.hint}
              </div>
            </div>
          ) : (
            <TapList
              rows={state.rows}
              selected={selected}
              onSelect={setSelected}
              follow={follow && !state.paused}
              onFollowChange={setFollow}
            />
          )}
        </section>
        <TapDetail row={selectedRow} />
      </div>
    </div>
  );
}
