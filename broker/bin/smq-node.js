#!/usr/bin/env -S node --max-semi-space-size=2
// The flag caps V8's young generation, which otherwise grows to 16 MB per semi-space while 1,000
// devices connect and keeps it while they publish: with it, RSS per 1,000 raw-TCP devices (bench
// W3, one A/B run) went from ~18.5 to ~8.6 MB, over WebSocket from ~22.5 to ~15.7 MB.
// Spawners that name node themselves read this line (src/cli/nodeFlags.ts).
// Committed plain JS so npm can link it before the build; runs the built node in this process.
import('../dist/cli/smq-node.js').then(
  (cli) => cli.main(process.argv),
  (err) => {
    process.stderr.write(
      `smq-node: cannot load the built broker (${err.code ?? err.message}); run npm run build\n`,
    );
    process.exit(1);
  },
);
