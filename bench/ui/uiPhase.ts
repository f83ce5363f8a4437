/** The UI rows of a run: the inspector pipeline (#6) and the host placement comparison (#10). */
import { log } from '../lib/log.js';
import { quick, repo, settings } from '../lib/settings.js';
import { hostPlacementTable, runHostPlacement, type PlacementRow } from './hostPlacement.js';
import { runUiPipeline, uiPipelineTable, type UiPipelineResult } from './pipeline.js';

export interface UiResults {
  pipeline: UiPipelineResult | { error: string };
  placement: PlacementRow[] | { error: string };
}

/** The UI pipeline in browser mode (needs `npm run build`) and the host-placement comparison. */
export async function uiPhase(): Promise<UiResults> {
  const failed = (err: unknown): { error: string } => ({ error: (err as Error).message });
  log('ui: the inspector under 5,000 msgs/s for 60 s (browser mode + Chromium)');
  const pipeline = await runUiPipeline({ repo, rate: 5000, durationMs: quick ? 10_000 : 60_000, log }).catch(
    failed,
  );
  const placement = await runHostPlacement({
    repo,
    rate: PLACEMENT_RATE,
    seconds: 10,
    trials: settings.trials,
    log,
  }).catch(failed);
  return { pipeline, placement };
}

const PLACEMENT_RATE = 20_000;

export function uiText(ui: UiResults): string {
  return [
    'error' in ui.pipeline ? `UI pipeline: FAILED (${ui.pipeline.error})` : uiPipelineTable(ui.pipeline),
    'error' in ui.placement
      ? `Host placement: FAILED (${ui.placement.error})`
      : hostPlacementTable(ui.placement, PLACEMENT_RATE),
  ].join('\n\n');
}
