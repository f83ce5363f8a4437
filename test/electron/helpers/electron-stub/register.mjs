// `node --import ./register.mjs dist/electron/main.mjs`: the built main with `electron` resolved
// to fake-electron.mjs, so the bundle itself runs under plain Node.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
