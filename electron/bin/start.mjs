#!/usr/bin/env node
// `npm start`: committed plain JS so a missing build gives one line, not a stack; the launcher
// itself is the bundle dist/electron/start.mjs (built from electron/start.ts at install).
const entry = new URL('../../dist/electron/start.mjs', import.meta.url);
import(entry.href).catch((err) => {
  const notBuilt = err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(entry.pathname);
  process.stderr.write(
    notBuilt
      ? 'SMQ Control Center: the app is not built (dist/electron/start.mjs is missing); run npm run build\n'
      : `SMQ Control Center: cannot start: ${err.message}\n`,
  );
  process.exit(1);
});
