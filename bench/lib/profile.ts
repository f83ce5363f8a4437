import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One line of a CPU profile summary: self time of a function, mapped back to broker/src. */
export interface ProfileEntry {
  selfPct: number;
  functionName: string;
  /** `broker/src/node/Router.ts:27` for our code, else the script path relative to the repo. */
  location: string;
}

export interface ProfileSummary {
  file: string;
  samples: number;
  /** Self time per function, highest first (idle excluded from the percentages). */
  top: ProfileEntry[];
  /** Self time per source file, highest first. */
  byFile: { file: string; selfPct: number }[];
}

interface CpuProfileNode {
  id: number;
  hitCount?: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface SourceMap {
  sources: string[];
  mappings: string;
  sourceRoot?: string;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decoded source map: per generated line, segments [genCol, srcIdx, srcLine]. */
function decodeMappings(mappings: string): number[][][] {
  const lines: number[][][] = [];
  let src = 0;
  let srcLine = 0;
  for (const lineText of mappings.split(';')) {
    const segs: number[][] = [];
    let genCol = 0;
    for (const seg of lineText.split(',')) {
      if (seg === '') continue;
      const vals: number[] = [];
      let shift = 0;
      let value = 0;
      for (const ch of seg) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          vals.push(value & 1 ? -(value >> 1) : value >> 1);
          value = 0;
          shift = 0;
        }
      }
      genCol += vals[0] ?? 0;
      if (vals.length >= 4) {
        src += vals[1]!;
        srcLine += vals[2]!;
        segs.push([genCol, src, srcLine]);
      }
    }
    lines.push(segs);
  }
  return lines;
}

/** Maps dist/*.js positions back to the TypeScript sources through the build's .js.map files. */
class SourceMapper {
  private readonly cache = new Map<string, { map: SourceMap; lines: number[][][] } | null>();

  constructor(private readonly repo: string) {}

  locate(url: string, line0: number, col0: number): string {
    const file = url.startsWith('file://') ? fileURLToPath(url) : url;
    if (!file.startsWith('/')) return file === '' ? '(native)' : `${file}:${line0 + 1}`;
    const rel = path.relative(this.repo, file);
    const sm = this.load(file);
    const segs = sm?.lines[line0];
    if (sm && segs && segs.length > 0) {
      let best = segs[0]!;
      for (const s of segs) if (s[0]! <= col0) best = s;
      const source = sm.map.sources[best[1]!];
      if (source !== undefined) {
        const abs = path.resolve(path.dirname(file), sm.map.sourceRoot ?? '', source);
        // The run's snapshot of broker/ maps back to the repo's own broker/src.
        const rel = path.relative(this.repo, abs).replace(/^bench\/dist\/broker-snapshot\//, 'broker/');
        return `${rel}:${best[2]! + 1}`;
      }
    }
    return `${rel}:${line0 + 1}`;
  }

  private load(file: string) {
    if (!this.cache.has(file)) {
      const mapFile = `${file}.map`;
      let entry: { map: SourceMap; lines: number[][][] } | null = null;
      if (!file.includes(`${path.sep}node_modules${path.sep}`) && existsSync(mapFile)) {
        const map = JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMap;
        entry = { map, lines: decodeMappings(map.mappings) };
      }
      this.cache.set(file, entry);
    }
    return this.cache.get(file) ?? undefined;
  }
}

/** Summarizes the .cpuprofile files written into `dir` (one per process). */
export function summarizeProfiles(repo: string, dir: string, topN = 15): ProfileSummary[] {
  if (!existsSync(dir)) return [];
  const mapper = new SourceMapper(repo);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => {
      const file = path.join(dir, f);
      const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: CpuProfileNode[] };
      const byFn = new Map<string, { fn: string; loc: string; hits: number }>();
      const byFile = new Map<string, number>();
      let total = 0;
      for (const n of profile.nodes) {
        const hits = n.hitCount ?? 0;
        const cf = n.callFrame;
        if (hits === 0 || cf.functionName === '(idle)') continue;
        total += hits;
        const loc = cf.url ? mapper.locate(cf.url, cf.lineNumber, cf.columnNumber) : '(native)';
        const fn = cf.functionName || '(anonymous)';
        const key = `${fn} ${loc}`;
        const e = byFn.get(key) ?? { fn, loc, hits: 0 };
        e.hits += hits;
        byFn.set(key, e);
        const fileKey = loc === '(native)' ? `(native) ${fn}` : loc.replace(/:\d+$/, '');
        byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + hits);
      }
      const pct = (h: number): number => Math.round((h / Math.max(1, total)) * 1000) / 10;
      return {
        file: path.relative(repo, file),
        samples: total,
        top: [...byFn.values()]
          .sort((a, b) => b.hits - a.hits)
          .slice(0, topN)
          .map((e) => ({ selfPct: pct(e.hits), functionName: e.fn, location: e.loc })),
        byFile: [...byFile.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, topN)
          .map(([file, hits]) => ({ file, selfPct: pct(hits) })),
      };
    });
}
