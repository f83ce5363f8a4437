import type { DisplayModel } from '../../../broker/src/devices/browser.js';

const STORAGE_KEY = 'smq.panels';

export type PanelFactory = (wsUrl: string) => DisplayModel;

export interface OpenPanel {
  id: number;
  nodeId: string;
  wsUrl: string;
  model: DisplayModel;
}

/**
 * The open LED panels, kept outside React so that their SMQ connections live while the user looks
 * at another view (a panel is an SMQ client, not a widget). Each panel is bound to the node it was
 * opened on, by that node's URL; it reconnects there when the node restarts (same port).
 */
export class PanelSet {
  private panels: readonly OpenPanel[] = [];
  private nextId = 1;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly factory: PanelFactory,
    /** Where the open panels are remembered (localStorage: kept across reloads and relaunches). */
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null = null,
  ) {}

  /** Reopens the panels this tab had before a reload. */
  restore(): void {
    let saved: unknown;
    try {
      saved = JSON.parse(this.storage?.getItem(STORAGE_KEY) ?? '[]');
    } catch {
      return;
    }
    if (!Array.isArray(saved)) return;
    for (const p of saved as unknown[]) {
      const { nodeId, wsUrl } = (p ?? {}) as Partial<OpenPanel>;
      if (typeof nodeId === 'string' && typeof wsUrl === 'string') this.open(nodeId, wsUrl);
    }
  }

  /** Writes the open panels down now (also done on every change). */
  save(): void {
    try {
      this.storage?.setItem(
        STORAGE_KEY,
        JSON.stringify(this.panels.map(({ nodeId, wsUrl }) => ({ nodeId, wsUrl }))),
      );
    } catch {
      // Storage full or disabled: panels just do not survive a reload.
    }
  }

  get size(): number {
    return this.panels.length;
  }

  list = (): readonly OpenPanel[] => this.panels;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  open(nodeId: string, wsUrl: string): OpenPanel {
    const panel: OpenPanel = { id: this.nextId++, nodeId, wsUrl, model: this.factory(wsUrl) };
    this.panels = [...this.panels, panel];
    this.emit();
    return panel;
  }

  close(id: number): void {
    const p = this.panels.find((x) => x.id === id);
    if (!p) return;
    p.model.close();
    this.panels = this.panels.filter((x) => x !== p);
    this.emit();
  }

  /** Panels of nodes that no longer exist (removed, or the cluster was destroyed) close. */
  retain(nodeIds: ReadonlySet<string>): void {
    for (const p of this.panels) if (!nodeIds.has(p.nodeId)) this.close(p.id);
  }

  closeAll(): void {
    for (const p of this.panels) this.close(p.id);
  }

  private emit(): void {
    this.save();
    for (const l of [...this.listeners]) l();
  }
}
