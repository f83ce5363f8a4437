/*
 * The few DOM types the LED page uses, declared here because the broker's tsconfigs have no DOM
 * lib (as client/browser.ts declares its WebSocket): the page's code then type-checks with the rest
 * of the broker, and nothing else in broker/src sees browser globals.
 */

export interface Elem {
  textContent: string | null;
  hidden: boolean;
  className: string;
  title: string;
  readonly classList: { toggle(token: string, force?: boolean): boolean };
  setAttribute(name: string, value: string): void;
  toggleAttribute(name: string, force: boolean): boolean;
  getAttribute(name: string): string | null;
  append(...nodes: (Elem | string)[]): void;
  replaceChildren(...nodes: (Elem | string)[]): void;
  remove(): void;
  addEventListener(type: 'click', listener: () => void): void;
}

interface Doc {
  readonly readyState: string;
  title: string;
  getElementById(id: string): Elem | null;
  querySelector(selector: string): Elem | null;
  createElement(tag: string): Elem;
  addEventListener(type: 'DOMContentLoaded', listener: () => void): void;
}

interface Loc {
  readonly host: string;
  readonly protocol: string;
}

const g = globalThis as unknown as { document: Doc; location: Loc };

export const doc = (): Doc => g.document;
export const loc = (): Loc => g.location;

/** The element with this id; the page's HTML has it, so a missing one is a build mistake. */
export function byId(id: string): Elem {
  const e = g.document.getElementById(id);
  if (!e) throw new Error(`LED page: no #${id} in the HTML`);
  return e;
}

/** A new element with a class and children. */
export function h(tag: string, className: string, ...children: (Elem | string)[]): Elem {
  const e = g.document.createElement(tag);
  if (className) e.className = className;
  e.append(...children);
  return e;
}

/** A `<meta name=...>` value written by the node into the page. */
export function meta(name: string): string | undefined {
  return g.document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? undefined;
}
