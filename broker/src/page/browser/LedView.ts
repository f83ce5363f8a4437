import type { DisplayConnection, DisplayDevice, DisplaySnapshot } from '../../devices/DisplayModel.js';
import type { LedState } from '../../devices/ledProtocol.js';
import { byId, h, type Elem } from './dom.js';

/** What a click asks for; the view never changes an LED itself (the device's broadcast does). */
export interface ViewActions {
  setLed(etid: number, ledId: number, on: boolean): void;
}

const CONNECTION_TEXT: Record<DisplayConnection, string> = {
  connecting: 'connecting…',
  connected: 'connected',
  reconnecting: 'reconnecting…',
  closed: 'disconnected',
};

interface DeviceItem {
  li: Elem;
  button: Elem;
  name: Elem;
  ip: Elem;
  leds: Elem;
  /** The LED table the mini LEDs were built for (ids, names, colors). */
  ledKey: string;
  minis: Elem[];
}

interface LedButton {
  button: Elem;
  state: Elem;
}

const ledKey = (leds: readonly LedState[]): string =>
  leds.map((l) => `${l.id}:${l.color}:${l.name}`).join(',');

export function formatTemp(tenths: number | undefined): string {
  return tenths === undefined ? 'no sensor' : `${(tenths / 10).toFixed(1)} °C`;
}

/**
 * Draws display snapshots into the page's HTML frame: the device list on the left (kept by ETID,
 * updated in place so focus and hover survive), the selected device's LEDs and temperature on the
 * right, the connection state in the header. State comes only from snapshots.
 */
export class LedView {
  private readonly conn = byId('conn');
  private readonly connText = byId('conn-text');
  private readonly list = byId('device-list');
  private readonly count = byId('device-count');
  private readonly noDevices = byId('no-devices');
  private readonly emptyPanel = byId('empty-panel');
  private readonly panel = byId('device-panel');
  private readonly devName = byId('dev-name');
  private readonly devIp = byId('dev-ip');
  private readonly devTemp = byId('dev-temp');
  private readonly ledBox = byId('leds');
  private readonly items = new Map<number, DeviceItem>();
  private order: number[] = [];
  private selected: number | undefined;
  private snapshot: DisplaySnapshot | undefined;
  /** The LED buttons of the panel, for `panelKey` (device ETID and its LED table). */
  private ledButtons: LedButton[] = [];
  private panelKey = '';

  constructor(private readonly actions: ViewActions) {}

  render(s: DisplaySnapshot): void {
    this.snapshot = s;
    this.conn.setAttribute('data-state', s.connection);
    this.connText.textContent = CONNECTION_TEXT[s.connection];
    this.conn.title = s.lastError ? `last error: ${s.lastError}` : s.url;
    if (this.selected === undefined || !s.devices.some((d) => d.etid === this.selected)) {
      this.selected = s.devices[0]?.etid;
    }
    this.renderList(s);
    this.renderPanel(
      s.devices.find((d) => d.etid === this.selected),
      s.connection === 'connected',
    );
  }

  private renderList(s: DisplaySnapshot): void {
    const live = s.connection === 'connected';
    for (const [etid, item] of this.items) {
      if (!s.devices.some((d) => d.etid === etid)) {
        item.li.remove();
        this.items.delete(etid);
      }
    }
    for (const d of s.devices) {
      const item = this.items.get(d.etid) ?? this.newItem(d.etid);
      item.button.setAttribute('aria-current', String(d.etid === this.selected));
      item.button.classList.toggle('stale', !live);
      item.button.setAttribute('data-devname', d.devname);
      item.name.textContent = d.devname;
      item.ip.textContent = d.ipaddr;
      this.updateMinis(item, d.leds);
    }
    const order = s.devices.map((d) => d.etid);
    if (order.join() !== this.order.join()) {
      this.list.replaceChildren(...order.map((etid) => this.items.get(etid)!.li));
      this.order = order;
    }
    this.count.textContent = String(s.devices.length);
    this.noDevices.hidden = s.devices.length > 0;
  }

  private newItem(etid: number): DeviceItem {
    const name = h('span', 'device-name');
    const ip = h('span', 'device-ip');
    const leds = h('span', 'mini-leds');
    leds.setAttribute('aria-hidden', 'true');
    const dot = h('span', 'device-dot');
    dot.title = 'connected';
    const button = h('button', 'device', dot, name, leds, ip);
    button.setAttribute('type', 'button');
    button.setAttribute('data-etid', String(etid));
    button.addEventListener('click', () => {
      this.selected = etid;
      if (this.snapshot) this.render(this.snapshot);
    });
    const item: DeviceItem = { li: h('li', '', button), button, name, ip, leds, ledKey: '', minis: [] };
    this.items.set(etid, item);
    return item;
  }

  private updateMinis(item: DeviceItem, leds: readonly LedState[]): void {
    const key = ledKey(leds);
    if (key !== item.ledKey) {
      item.minis = leds.map((l) => h('span', `mini-led ${l.color}`));
      item.leds.replaceChildren(...item.minis);
      item.ledKey = key;
    }
    leds.forEach((l, i) => item.minis[i]!.classList.toggle('on', l.on));
  }

  private renderPanel(d: DisplayDevice | undefined, live: boolean): void {
    this.emptyPanel.hidden = d !== undefined;
    this.panel.hidden = d === undefined;
    if (!d) {
      this.panelKey = '';
      this.ledButtons = [];
      this.ledBox.replaceChildren();
      return;
    }
    this.panel.setAttribute('data-etid', String(d.etid));
    this.panel.classList.toggle('stale', !live);
    this.devName.textContent = d.devname;
    this.devIp.textContent = d.ipaddr;
    this.devTemp.textContent = formatTemp(d.temp);
    this.devTemp.classList.toggle('none', d.temp === undefined);
    const key = `${d.etid}/${ledKey(d.leds)}`;
    if (key !== this.panelKey) {
      this.ledButtons = d.leds.map((l) => this.ledButton(d.etid, l));
      this.ledBox.replaceChildren(...this.ledButtons.map((b) => b.button));
      this.panelKey = key;
    }
    d.leds.forEach((l, i) => {
      const b = this.ledButtons[i]!;
      b.button.setAttribute('aria-pressed', String(l.on));
      // A command is never queued (DisplayModel.setLed): no clicks while the node is away.
      b.button.toggleAttribute('disabled', !live);
      b.button.title = `${l.name} is ${l.on ? 'on' : 'off'}; click to switch it ${l.on ? 'off' : 'on'}`;
      b.state.textContent = l.on ? 'on' : 'off';
    });
  }

  private ledButton(etid: number, led: LedState): LedButton {
    const bulb = h('span', 'bulb');
    bulb.setAttribute('aria-hidden', 'true');
    const state = h('span', 'led-state');
    const button = h('button', `led ${led.color}`, bulb, h('span', 'led-name', led.name), state);
    button.setAttribute('type', 'button');
    button.setAttribute('data-led-id', String(led.id));
    button.setAttribute('data-color', led.color);
    // The state at click time comes from the latest snapshot, never from the button.
    button.addEventListener('click', () => {
      const now = this.snapshot?.devices.find((d) => d.etid === etid)?.leds.find((l) => l.id === led.id);
      if (now) this.actions.setLed(etid, led.id, !now.on);
    });
    return { button, state };
  }
}
