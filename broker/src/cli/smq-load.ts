import { Command } from 'commander';
import { collect, numberIn } from './argParsers.js';
import { LoadRun, type LoadResult } from '../load/LoadRun.js';
import { readPem } from '../node/tlsOptions.js';

const PROGRESS_MS = 5000;

interface CliOptions {
  url?: string[];
  publishers: number;
  subscribers: number;
  topics: number;
  rate: number;
  size: number;
  duration: number;
  drainMs: number;
  password?: string;
  ca?: string;
  json: boolean;
}

function program(): Command {
  return new Command('smq-load')
    .description(
      'N publishers x M subscribers through SMQ nodes: prints msgs/s sent and received, loss, p50/p99 latency.',
    )
    .option(
      '--url <url>',
      'node URL, repeatable; clients take them in turn (default ws://127.0.0.1:8080/smq.lsp)',
      collect,
    )
    .option('-p, --publishers <n>', 'publishing clients', numberIn(1, 10_000), 1)
    .option('-s, --subscribers <n>', 'subscribing clients (each takes every topic)', numberIn(1, 10_000), 1)
    .option('--topics <n>', 'topics shared out among the publishers', numberIn(1, 10_000), 1)
    .option('-r, --rate <n>', 'messages per second per publisher', numberIn(0.001, 1_000_000, false), 100)
    .option(
      '--size <bytes>',
      'payload bytes (16..65520: send time and sequence first)',
      numberIn(16, 0xfff0),
      64,
    )
    .option('-d, --duration <seconds>', 'length of the send phase', numberIn(0.001, 86_400, false), 5)
    .option('--drain-ms <ms>', 'wait for messages in flight after the last send', numberIn(0, 600_000), 2000)
    .option('--password <password>', "the nodes' password (seeded SHA-1 credentials)")
    .option(
      '--ca <file>',
      "PEM CA file that https:// and wss:// nodes' certificates are verified against (default: the system roots)",
    )
    .option('--json', 'print the result as one JSON object', false);
}

function summary(r: LoadResult): string {
  const lossPct = r.expected === 0 ? 0 : (100 * r.lost) / r.expected;
  return (
    `sent ${r.sent} (${r.sentPerSec.toFixed(1)} msgs/s), received ${r.received} of ${r.expected} ` +
    `(${r.receivedPerSec.toFixed(1)} msgs/s), lost ${r.lost} (${lossPct.toFixed(2)}%), ` +
    `latency p50 ${r.p50Ms.toFixed(2)} ms p99 ${r.p99Ms.toFixed(2)} ms max ${r.maxMs.toFixed(2)} ms`
  );
}

export async function main(argv: string[]): Promise<void> {
  const cmd = program();
  cmd.parse(argv);
  const o = cmd.opts<CliOptions>();
  let run: LoadRun;
  try {
    run = new LoadRun({
      urls: o.url ?? ['ws://127.0.0.1:8080/smq.lsp'],
      publishers: o.publishers,
      subscribers: o.subscribers,
      topics: o.topics,
      rate: o.rate,
      payloadBytes: o.size,
      durationMs: o.duration * 1000,
      drainMs: o.drainMs,
      password: o.password,
      ca: o.ca === undefined ? undefined : readPem('--ca', o.ca),
    });
  } catch (err) {
    process.stderr.write(`smq-load: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const stop = (): void => run.stop();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Progress on stderr every few seconds (stdout keeps only the result): a long run is not silent.
  const started = Date.now();
  const ticker = setInterval(() => {
    const p = run.progress();
    const at = Math.round((Date.now() - started) / 1000);
    process.stderr.write(`smq-load: ${at} s, ${p.phase}: sent ${p.sent}, received ${p.received}\n`);
  }, PROGRESS_MS);
  ticker.unref();
  try {
    const r = await run.run();
    clearInterval(ticker);
    process.stdout.write(`${o.json ? JSON.stringify(r) : summary(r)}\n`);
    // A finished run exits 0 whatever it measured: loss is a result, in the output.
    process.exit(0);
  } catch (err) {
    process.stderr.write(`smq-load: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
