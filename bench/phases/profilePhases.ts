/** Our node under `node --cpu-prof` when a target was missed (or `--profile`): where the time goes. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { rowFor, runOne } from '../lib/jobs.js';
import { log } from '../lib/log.js';
import { summarizeProfiles, type ProfileSummary } from '../lib/profile.js';
import type { Row } from '../lib/report.js';
import { oursTargets, repo, targets } from '../lib/settings.js';
import { startBroker, type RunningBroker } from '../lib/targets.js';
import type { WorkloadId } from '../lib/types.js';
import { withCluster } from './clusterPhases.js';

/** W5 cross-node once per transport with both nodes under `node --cpu-prof`. */
export async function hopProfilePhase(stamp: string): Promise<ProfileSummary[]> {
  const out: ProfileSummary[] = [];
  for (const target of oursTargets().filter((t) => t.id.startsWith('ours-'))) {
    const dir = path.join(repo, 'bench', 'results', `profiles-${stamp}`, `w5-${target.id}`);
    mkdirSync(dir, { recursive: true });
    const scratch: Row[] = [];
    await withCluster(
      scratch,
      ['w5-cross'],
      1,
      target,
      2,
      async (cluster) => {
        const row = rowFor(scratch, 'w5-cross', target.id);
        await runOne(row, 1, target, cluster.nodes[0]!, { cluster, subNode: 1 });
      },
      { cpuProfileDir: dir },
    );
    for (const node of ['a', 'b']) out.push(...summarizeProfiles(repo, path.join(dir, node)));
  }
  return out;
}

/** Our node under `node --cpu-prof`, W1 and W2 once per transport; not part of the table's numbers. */
export async function profilePhase(stamp: string): Promise<ProfileSummary[]> {
  const out: ProfileSummary[] = [];
  for (const target of targets.filter((t) => t.id === 'ours-ws' || t.id === 'ours-raw')) {
    const dir = path.join(repo, 'bench', 'results', `profiles-${stamp}`, target.id);
    mkdirSync(dir, { recursive: true });
    let broker: RunningBroker | undefined;
    try {
      broker = await startBroker(target.id, { repo, cpuProfileDir: dir });
      for (const w of ['w1-1to100', 'w2-pairs'] as WorkloadId[]) {
        const row: Row = { workload: w, target: target.id, status: 'ok', trials: [] };
        await runOne(row, 1, target, broker);
      }
    } catch (err) {
      log(`profile ${target.id}: ${(err as Error).message}`);
    } finally {
      await broker?.stop();
    }
    out.push(...summarizeProfiles(repo, dir));
  }
  return out;
}

export function profileText(profiles: ProfileSummary[]): string {
  return profiles
    .map((p) => {
      const fns = p.top.map(
        (e) => `    ${e.selfPct.toFixed(1).padStart(5)}%  ${e.functionName}  ${e.location}`,
      );
      const files = p.byFile.slice(0, 8).map((f) => `    ${f.selfPct.toFixed(1).padStart(5)}%  ${f.file}`);
      return [`  ${p.file} (${p.samples} samples, self time)`, ...fns, '  by file:', ...files].join('\n');
    })
    .join('\n');
}
