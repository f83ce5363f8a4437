/** `node bench/dist/ui/ui-run.js [--quick]`: the UI pipeline benchmark alone (needs `npm run build`). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runUiPipeline, uiPipelineTable } from './pipeline.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const quick = process.argv.includes('--quick');
const result = await runUiPipeline({
  repo,
  rate: 5000,
  durationMs: quick ? 10_000 : 60_000,
  log: (l) => process.stderr.write(`${l}\n`),
});
console.log(uiPipelineTable(result));
console.log(JSON.stringify(result));
