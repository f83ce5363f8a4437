/**
 * `node bench/dist/ui/ui-run.js [--quick]` (needs `npm run build`): the UI pipeline benchmark
 * (issue #6) and the host-placement comparison (issue #10), as a table and one JSON line each.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostPlacementTable, runHostPlacement } from './hostPlacement.js';
import { runUiPipeline, uiPipelineTable } from './pipeline.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const quick = process.argv.includes('--quick');
const log = (l: string): void => void process.stderr.write(`${l}\n`);
const ui = await runUiPipeline({ repo, rate: 5000, durationMs: quick ? 10_000 : 60_000, log });
console.log(uiPipelineTable(ui));
const rate = 20_000;
const placement = await runHostPlacement({ repo, rate, seconds: quick ? 5 : 10, trials: quick ? 1 : 3, log });
console.log(hostPlacementTable(placement, rate));
console.log(JSON.stringify({ ui, placement }));
