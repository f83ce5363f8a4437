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
 * opened on: it reconnects there when the node restarts, and follows the node to its new URL
 * when the node is bound to another address.
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

  /**
   * Keeps the panels on the cluster's nodes as they are now: a panel of a node that no longer
   * exists closes; one whose node moved (bound to another address) drops its client and connects
   * to the node's new URL, in place.
   */
  follow(nodes: readonly Pick<OpenPanel, 'nodeId' | 'wsUrl'>[]): void {
    const urls = new Map(nodes.map((n) => [n.nodeId, n.wsUrl]));
    for (const p of this.panels) if (!urls.has(p.nodeId)) this.close(p.id);
    let moved = false;
    this.panels = this.panels.map((p) => {
      const wsUrl = urls.get(p.nodeId);
      if (wsUrl === undefined || wsUrl === p.wsUrl) return p;
      moved = true;
      p.model.close();
      return { ...p, wsUrl, model: this.factory(wsUrl) };
    });
    if (moved) this.emit();
  }

  closeAll(): void {
    for (const p of this.panels) this.close(p.id);
  }

  private emit(): void {
    this.save();
    for (const l of [...this.listeners]) l();
  }
}
