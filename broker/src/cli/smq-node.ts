import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { SmqNode } from '../node/SmqNode.js';
import { NodeServer } from '../node/NodeServer.js';
import { MAX_TID } from '../node/EtidAllocator.js';
import { seededHashAuthenticator, sharedKeyAuthenticator } from '../node/auth.js';
import { DEFAULT_LIMITS, type LogLevel, type NodeLimits, type NodeOptions } from '../node/options.js';
import { consoleLogger } from './consoleLogger.js';
import { Cluster } from '../cluster/Cluster.js';
import { collect, numberIn } from './argParsers.js';
import { AdminEndpoint } from '../admin/AdminEndpoint.js';
import { addNatsOptions, natsClusterOptions, type NatsCliOptions } from './natsArgs.js';
import { readPem, type NodeTlsOptions } from '../node/tlsOptions.js';

interface CliOptions extends NatsCliOptions {
  host: string;
  port: number;
  name?: string;
  smqPath: string;
  topic: Record<string, number>;
  password?: string;
  authKey?: string;
  maxSessions?: number;
  maxPendingBytes?: number;
  maxTopicLength?: number;
  maxTopics?: number;
  maxSubtopics?: number;
  allowOrigin: string[];
  peer: string[];
  secret?: string;
  secretFile?: string;
  advertise?: string;
  adminTokenFile?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  exitWithStdin?: boolean;
  logLevel: LogLevel;
}

function fixedTopic(value: string, previous: Record<string, number>): Record<string, number> {
  const eq = value.lastIndexOf('=');
  if (eq <= 0) throw new InvalidArgumentError('expected name=tid, e.g. /m2m/led/device=2');
  return { ...previous, [value.slice(0, eq)]: numberIn(2, 0xfffff)(value.slice(eq + 1)) };
}

function program(): Command {
  const cmd = new Command('smq-node')
    .description('Run one SMQ v1 broker node: WebSocket and raw TCP on one port.')
    .option('-c, --config <file>', 'JSON file with any of the options below (flags win)')
    .option('--host <address>', 'address to bind (0.0.0.0 to expose on every interface)', '127.0.0.1')
    .option(
      '-p, --port <port>',
      'TCP port for SMQ (ws:// and http://) and web pages; 0 picks a free one',
      numberIn(0, 65535),
      8080,
    )
    .option('--name <name>', 'node name shown in stats, logs and the traffic tap')
    .option(
      '--smq-path <path>',
      'path a plain GET answers with 400 (SMQ itself works on any path)',
      '/smq.lsp',
    )
    .option('--topic <name=tid>', 'pre-create a topic at a fixed TID (repeatable)', fixedTopic, {})
    .option(
      '--allow-origin <origin>',
      'browser origin allowed to open SMQ WebSockets (repeatable)',
      collect,
      [],
    )
    .option(
      '--peer <url>',
      'ws://host:port (wss:// for a TLS node) of a cluster node to link to (repeatable; gossip finds the rest)',
      collect,
      [],
    )
    .option(
      '--secret-file <file>',
      'file holding the shared cluster secret (first line); --peer needs a secret from here, the env or --secret',
    )
    .option(
      '--secret <secret>',
      'the secret itself (visible in ps: prefer --secret-file or env SMQ_CLUSTER_SECRET)',
    )
    .option(
      '--advertise <url>',
      'URL other nodes dial to reach this one (default: ws://, or wss:// with --tls-cert, + bound address)',
    )
    .option(
      '--admin-token-file <file>',
      'file holding the admin token (first line) that opens /admin/ (clients, topics, links, and the tap, stats and topics over the /admin/ws WebSocket); or env SMQ_ADMIN_TOKEN',
    )
    .option(
      '--tls-cert <file>',
      'PEM certificate (chain): the port serves https:// raw TCP and wss:// instead of http:// and ws://; needs --tls-key',
    )
    .option('--tls-key <file>', 'PEM private key of --tls-cert')
    .option(
      '--tls-ca <file>',
      "PEM CA certificate(s) that wss:// peers' certificates are verified against (default: the system roots)",
    )
    .option('--password <password>', 'require the seeded SHA-1 credentials of the C LED example')
    .option('--auth-key <key>', 'require credentials equal to this shared key')
    .option('--max-sessions <n>', 'connections accepted before new ones are closed', numberIn(1, 1_000_000))
    .option(
      '--max-pending-bytes <n>',
      'unsent bytes after which a client is a slow consumer',
      numberIn(1024, 2 ** 31),
    )
    .option('--max-topic-length <n>', 'longest topic or sub-topic name', numberIn(1, 0xfff0))
    .option(
      '--max-topics <n>',
      `topic names the node holds; clients asking for more are denied (default ${DEFAULT_LIMITS.maxTopics})`,
      numberIn(1, MAX_TID - 1),
    )
    .option(
      '--max-subtopics <n>',
      `sub-topic names the node holds; clients asking for more are denied (default ${DEFAULT_LIMITS.maxSubtopics})`,
      numberIn(1, 0xfffffffe),
    )
    .option(
      '--exit-with-stdin',
      'stop when stdin closes (for a supervisor: the node dies with the app that started it)',
    )
    .addOption(
      new Option('--log-level <level>', 'log detail')
        .choices(['debug', 'info', 'warn', 'error'])
        .default('info'),
    );
  return addNatsOptions(cmd);
}

/** Flags win over the config file; the file's keys are the long flag names in camelCase. */
function resolve(cmd: Command, argv: string[]): CliOptions {
  cmd.parse(argv);
  const flags = cmd.opts<CliOptions & { config?: string }>();
  if (!flags.config) return flags;
  const file = JSON.parse(readFileSync(flags.config, 'utf8')) as Partial<CliOptions>;
  const merged: Record<string, unknown> = { ...flags, ...file };
  for (const key of Object.keys(flags)) {
    if (cmd.getOptionValueSource(key) === 'cli') merged[key] = flags[key as keyof CliOptions];
  }
  return merged as unknown as CliOptions;
}

const MIN_SECRET_LENGTH = 16;

/** The first line of a secret file; exits with a clear message when it cannot be read. */
function firstLine(flag: string, file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').split(/\r?\n/)[0]!.trim() || undefined;
  } catch (err) {
    process.stderr.write(`smq-node: cannot read ${flag}: ${(err as Error).message}\n`);
    process.exit(2);
  }
}

/** The secret from --secret-file, else SMQ_CLUSTER_SECRET, else --secret. */
function clusterSecret(o: CliOptions): string | undefined {
  if (o.secretFile !== undefined) return firstLine('--secret-file', o.secretFile);
  return process.env.SMQ_CLUSTER_SECRET ?? o.secret;
}

/** The node's certificate and key, and the CA its links verify peers with; exits on a bad combination. */
function tlsFiles(o: CliOptions): { tls: NodeTlsOptions | undefined; ca: Buffer | undefined } {
  if ((o.tlsCert === undefined) !== (o.tlsKey === undefined)) {
    process.stderr.write('smq-node: --tls-cert and --tls-key go together\n');
    process.exit(2);
  }
  try {
    return {
      tls:
        o.tlsCert && o.tlsKey
          ? { cert: readPem('--tls-cert', o.tlsCert), key: readPem('--tls-key', o.tlsKey) }
          : undefined,
      ca: o.tlsCa === undefined ? undefined : readPem('--tls-ca', o.tlsCa),
    };
  } catch (err) {
    process.stderr.write(`smq-node: ${(err as Error).message}\n`);
    process.exit(2);
  }
}

function adminToken(o: CliOptions): string | undefined {
  if (o.adminTokenFile !== undefined) return firstLine('--admin-token-file', o.adminTokenFile);
  return process.env.SMQ_ADMIN_TOKEN || undefined;
}

export async function main(argv: string[]): Promise<void> {
  const o = resolve(program(), argv);
  const log = consoleLogger(o.logLevel);
  const limits: Partial<NodeLimits> = {};
  if (o.maxSessions !== undefined) limits.maxSessions = o.maxSessions;
  if (o.maxPendingBytes !== undefined) limits.maxPendingBytes = o.maxPendingBytes;
  if (o.maxTopicLength !== undefined) limits.maxTopicNameLength = o.maxTopicLength;
  if (o.maxTopics !== undefined) limits.maxTopics = o.maxTopics;
  if (o.maxSubtopics !== undefined) limits.maxSubtopics = o.maxSubtopics;
  const options: NodeOptions = { limits, topics: o.topic, log };
  if (o.name !== undefined) options.name = o.name;
  if (o.password !== undefined) options.hooks = { authenticate: seededHashAuthenticator(o.password) };
  else if (o.authKey !== undefined) options.hooks = { authenticate: sharedKeyAuthenticator(o.authKey) };

  const secret = clusterSecret(o);
  if (secret !== undefined && secret.length < MIN_SECRET_LENGTH) {
    log(
      'warn',
      `cluster secret of ${secret.length} characters: links prove it by HMAC, which a listener can guess offline when it is short; use ${MIN_SECRET_LENGTH} or more`,
    );
  }
  if (o.peer.length > 0 && !secret) {
    process.stderr.write(
      'smq-node: --peer needs a cluster secret (--secret-file, SMQ_CLUSTER_SECRET or --secret)\n',
    );
    process.exit(2);
  }
  const token = adminToken(o);
  if (token !== undefined && token.length < 16) {
    process.stderr.write('smq-node: the admin token needs 16 or more characters\n');
    process.exit(2);
  }
  const { tls, ca } = tlsFiles(o);
  const node = new SmqNode(options);
  let server: NodeServer;
  try {
    server = new NodeServer(node, {
      host: o.host,
      port: o.port,
      smqPath: o.smqPath,
      allowOrigins: o.allowOrigin,
      tls,
    });
  } catch (err) {
    process.stderr.write(`smq-node: unusable --tls-cert/--tls-key: ${(err as Error).message}\n`);
    process.exit(2);
  }
  let addr;
  try {
    addr = await server.listen();
  } catch (err) {
    process.stderr.write(`smq-node: cannot listen on ${o.host}:${o.port}: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const nats = natsClusterOptions(o, firstLine);
  const cluster =
    secret || nats
      ? new Cluster(node, server, { secret, nats, peers: o.peer, advertiseUrl: o.advertise, ca, log })
      : undefined;
  // A drain asked with ?then=exit ends the process the same way as SIGTERM, once the node is empty.
  if (token !== undefined)
    new AdminEndpoint(node, server, token, cluster, { stopProcess: () => stop('drained') });
  process.stdout.write(`smq-node listening on ${server.secure ? 'https' : 'http'}://${host}:${addr.port}\n`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log('info', `${signal}: closing links and sessions, then stopping`);
    cluster?.close();
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  if (o.exitWithStdin) {
    process.stdin.on('end', () => stop('stdin closed')).resume();
  }
}
