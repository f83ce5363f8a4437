#!/usr/bin/env node
// Committed plain JS so npm can link it before the build; runs the built command in this process.
import('../dist/cli/smq-devices.js').then(
  (cli) => cli.main(process.argv),
  (err) => {
    process.stderr.write(
      `smq-devices: cannot load the built broker (${err.code ?? err.message}); run npm run build\n`,
    );
    process.exit(1);
  },
);
