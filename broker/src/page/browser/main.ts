/*
 * The LED page's script (bundled by broker/scripts/build-page.mjs into led-page.js): an SMQ client
 * of the node that served the page, a display model on it, and the view.
 */
import { connect } from '../../client/browser.js';
import { DisplayModel } from '../../devices/DisplayModel.js';
import { doc, loc, meta } from './dom.js';
import { LedView } from './LedView.js';

function start(): void {
  const secure = loc().protocol === 'https:';
  const url = `${secure ? 'wss' : 'ws'}://${loc().host}${meta('smq-path') ?? '/smq.lsp'}`;
  const model = new DisplayModel(connect(url, { info: 'LED page' }));
  const view = new LedView({ setLed: (etid, ledId, on) => void model.setLed(etid, ledId, on) });
  model.subscribe((s) => view.render(s));
  view.render(model.getSnapshot());
}

if (doc().readyState === 'loading') doc().addEventListener('DOMContentLoaded', start);
else start();
