import { Option, type Command } from 'commander';
import type { NatsClusterOptions } from '../cluster/Cluster.js';

/** The NATS flags of smq-node, as resolved (the config file's keys are the same in camelCase). */
export interface NatsCliOptions {
  nats?: string;
  cluster?: string;
  natsUser?: string;
  natsPass?: string;
  natsPassFile?: string;
  natsToken?: string;
  natsTokenFile?: string;
  natsCa?: string;
}

export function addNatsOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--nats <urls>',
        'join the cluster through NATS: nats://host:port[,nats://...] (exclusive with --peer: a node runs over NATS or over peer links)',
      ).conflicts('peer'),
    )
    .option('--cluster <name>', 'cluster name on NATS: keeps two clusters on one NATS apart (default "smq")')
    .option('--nats-user <user>', 'NATS user (with --nats-pass or --nats-pass-file)')
    .option('--nats-pass-file <file>', 'file holding the NATS password (first line); or env SMQ_NATS_PASS')
    .option('--nats-pass <pass>', 'the NATS password itself (visible in ps: prefer the file or the env)')
    .option('--nats-token-file <file>', 'file holding a NATS token (first line); or env SMQ_NATS_TOKEN')
    .option('--nats-token <token>', 'the NATS token itself (visible in ps: prefer the file or the env)')
    .option('--nats-ca <file>', 'PEM CA file the NATS servers are verified against (turns TLS on)');
}

/**
 * The NATS cluster options from the flags, or undefined without --nats. Secrets come from a file,
 * else the environment, else the flag; `firstLine` reads a file's first line (exiting when it cannot).
 */
export function natsClusterOptions(
  o: NatsCliOptions,
  firstLine: (flag: string, file: string) => string | undefined,
): NatsClusterOptions | undefined {
  if (!o.nats) return undefined;
  const servers = o.nats
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const pass =
    o.natsPassFile !== undefined
      ? firstLine('--nats-pass-file', o.natsPassFile)
      : (process.env.SMQ_NATS_PASS ?? o.natsPass);
  const token =
    o.natsTokenFile !== undefined
      ? firstLine('--nats-token-file', o.natsTokenFile)
      : (process.env.SMQ_NATS_TOKEN ?? o.natsToken);
  return { servers, cluster: o.cluster, user: o.natsUser, pass, token, caFile: o.natsCa };
}
