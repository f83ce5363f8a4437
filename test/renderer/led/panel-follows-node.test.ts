import { describe, expect, it } from 'vitest';
import type { DisplayModel } from '../../../broker/src/devices/browser.js';
import { PanelSet } from '../../../renderer/src/led/PanelSet.js';

/*
 * A panel is bound to its node, not to the URL it was opened with: when the node is bound to
 * another address its client closes and a new one connects to the node's new URL.
 */

/** Each model the panels asked for: the URL it connects to and whether it was closed. */
function recordingFactory(): {
  made: { url: string; closed: boolean }[];
  factory: (url: string) => DisplayModel;
} {
  const made: { url: string; closed: boolean }[] = [];
  return {
    made,
    factory: (url) => {
      const m = { url, closed: false };
      made.push(m);
      return { close: () => void (m.closed = true) } as unknown as DisplayModel;
    },
  };
}

const storage = (): Pick<Storage, 'getItem' | 'setItem'> & { saved: string | null } => ({
  saved: null,
  getItem() {
    return this.saved;
  },
  setItem(_key: string, value: string) {
    this.saved = value;
  },
});

describe('PanelSet.follow', () => {
  it('moves a panel to its node’s new URL: the old client closes, a new one connects there', () => {
    const { made, factory } = recordingFactory();
    const kept = storage();
    const panels = new PanelSet(factory, kept);
    const old = 'ws://127.0.0.1:41001/smq.lsp';
    const moved = 'ws://192.0.2.2:41001/smq.lsp';
    const p1 = panels.open('n1', old);
    panels.open('n2', 'ws://127.0.0.1:41002/smq.lsp');
    let changes = 0;
    panels.subscribe(() => changes++);

    panels.follow([
      { nodeId: 'n1', wsUrl: moved },
      { nodeId: 'n2', wsUrl: 'ws://127.0.0.1:41002/smq.lsp' },
    ]);

    const [n1, n2] = panels.list();
    expect([n1!.id, n1!.nodeId, n1!.wsUrl]).toEqual([p1.id, 'n1', moved]);
    expect(made).toEqual([
      { url: old, closed: true },
      { url: 'ws://127.0.0.1:41002/smq.lsp', closed: false },
      { url: moved, closed: false },
    ]);
    expect(n2!.wsUrl).toBe('ws://127.0.0.1:41002/smq.lsp');
    expect(changes).toBe(1);
    // A reload (the CSP guard's, for the new origin) reopens it on the new URL.
    expect(JSON.parse(kept.saved!)).toEqual([
      { nodeId: 'n1', wsUrl: moved },
      { nodeId: 'n2', wsUrl: 'ws://127.0.0.1:41002/smq.lsp' },
    ]);
  });

  it('leaves panels alone when no URL changed, and closes the panel of a node that is gone', () => {
    const { made, factory } = recordingFactory();
    const panels = new PanelSet(factory);
    panels.open('n1', 'ws://127.0.0.1:41001/smq.lsp');
    panels.open('n2', 'ws://127.0.0.1:41002/smq.lsp');
    panels.follow([{ nodeId: 'n1', wsUrl: 'ws://127.0.0.1:41001/smq.lsp' }]);
    expect(panels.list().map((p) => p.nodeId)).toEqual(['n1']);
    expect(made.map((m) => m.closed)).toEqual([false, true]);
  });
});
