import { Command, InvalidArgumentError, Option } from 'commander';
import { numberIn } from './argParsers.js';
import { DeviceFleet, type FleetEvent } from '../devices/DeviceFleet.js';
import type { LedDeviceState } from '../devices/LedDevice.js';
import { seededRandom } from '../devices/random.js';
import type { LogLevel } from '../node/options.js';
import { consoleLogger } from './consoleLogger.js';
import { nodeTransport } from '../client/node.js';
import { readPem } from '../node/tlsOptions.js';

interface CliOptions {
  url: string[];
  count: number;
  namePrefix: string;
  pin?: boolean;
  password?: string;
  ca?: string;
  sensor: boolean;
  driftMs: number;
  seed?: number;
  json: boolean;
  logLevel: LogLevel;
}

function smqUrl(value: string, previous: string[] | undefined): string[] {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected a URL such as http://127.0.0.1:8080/smq.lsp');
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) {
    throw new InvalidArgumentError('expected http(s):// (raw TCP, as the C device) or ws(s):// (WebSocket)');
  }
  return [...(previous ?? []), value];
}

/** The --ca file's PEM; exits with a clear line when it cannot be read. */
function caFile(file: string): Buffer {
  try {
    return readPem('--ca', file);
  } catch (err) {
    process.stderr.write(`smq-devices: ${(err as Error).message}\n`);
    process.exit(2);
  }
}

function program(): Command {
  return new Command('smq-devices')
    .description('Run a fleet of simulated m2m-LED devices (the C LED example on the wire) in this process.')
    .option(
      '--url <url>',
      'node URL, repeatable: http:// raw TCP as the C device, ws:// WebSocket (default http://127.0.0.1:8080/smq.lsp)',
      smqUrl,
    )
    .option('-n, --count <n>', 'devices to run', numberIn(0, 100_000), 5)
    .option(
      '--name-prefix <prefix>',
      "device names are <prefix>-1..<prefix>-N (not LED, the app's own fleets' names)",
      'DEV',
    )
    .option('--pin', 'connect every device to the first --url only (without it: random over all)')
    .option('--password <password>', "the nodes' password (seeded SHA-1 credentials of the C example)")
    .option(
      '--ca <file>',
      "PEM CA file that https:// and wss:// nodes' certificates are verified against (default: the system roots)",
    )
    .option('--no-sensor', 'devices without a temperature sensor')
    .option('--drift-ms <ms>', 'how often a temperature may move by 0.1 °C', numberIn(10, 3_600_000), 5000)
    .option('--seed <n>', 'seed uids, URL picks and drift, to repeat a run', numberIn(0, 0xffffffff))
    .option('--json', 'print every device event as one JSON object per line', false)
    .addOption(
      new Option('--log-level <level>', 'log detail (stderr)')
        .choices(['debug', 'info', 'warn', 'error'])
        .default('info'),
    );
}

/** The line a person reads: connects, reconnects and losses; LED and temperature only at debug. */
function describe(e: FleetEvent, s: LedDeviceState): { level: LogLevel; text: string } | undefined {
  const etid = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
  switch (e.type) {
    case 'connect':
      return {
        level: 'info',
        text: `${e.device} ${e.reconnect ? 'reconnected' : 'connected'} to ${e.url} etid ${etid(e.etid)} uid ${s.uid}`,
      };
    case 'disconnect':
      return {
        level: e.reconnecting ? 'warn' : 'info',
        text: `${e.device} lost ${e.url}: ${e.reason}${e.reconnecting ? '; reconnecting' : ''}`,
      };
    case 'connecterror':
      return { level: 'debug', text: `${e.device} cannot connect to ${e.url}: ${e.reason}` };
    case 'invalid':
      return { level: 'warn', text: `${e.device} ignored a command from ${etid(e.from)}: ${e.reason}` };
    case 'led':
      return { level: 'debug', text: `${e.device} LED ${e.ledId} ${e.on ? 'on' : 'off'}` };
    default:
      return undefined;
  }
}

/**
 * Connect failures at the default level without a line per retry per device: the first failure
 * for each distinct reason, with the fix when it is a refused certificate. Also remembers which
 * devices ever connected.
 */
class ConnectFailures {
  private readonly seen = new Set<string>();
  private readonly connected = new Set<string>();

  constructor(private readonly hasCa: boolean) {}

  /** The line to print for this event, or undefined (not a failure, or its reason was printed). */
  note(e: FleetEvent): string | undefined {
    if (e.type === 'connect') this.connected.add(e.device);
    if (e.type !== 'connecterror' || this.seen.has(e.reason)) return undefined;
    this.seen.add(e.reason);
    const tls = e.reason.startsWith('TLS certificate refused');
    const fix = tls
      ? this.hasCa
        ? ' (the --ca file did not sign the node certificate)'
        : " — pass --ca <file> (the CA that signed the node certificate, e.g. the app's tls/ca.pem)"
      : '';
    return `cannot connect to ${e.url}: ${e.reason}${fix}; retrying (further failures for this reason at --log-level debug)`;
  }

  wasConnected(device: string): boolean {
    return this.connected.has(device);
  }
}

export function main(argv: string[]): void {
  const cmd = program();
  cmd.parse(argv);
  const o = cmd.opts<CliOptions>();
  const urls = o.url ?? ['http://127.0.0.1:8080/smq.lsp'];
  const log = consoleLogger(o.logLevel);
  const fleet = new DeviceFleet({
    urls,
    pin: o.pin ? urls[0] : undefined,
    password: o.password,
    // The C device's bootstrap, as LedDevice's default transport, verified with the CA file.
    transport: o.ca === undefined ? undefined : nodeTransport({ rawBootstrap: 'c-client', ca: caFile(o.ca) }),
    sensor: o.sensor,
    driftMs: o.driftMs,
    random: o.seed === undefined ? undefined : seededRandom(o.seed),
  });
  const levels: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  const failures = new ConnectFailures(o.ca !== undefined);
  fleet.subscribe((e, s) => {
    if (o.json) return void process.stdout.write(`${JSON.stringify({ time: Date.now(), ...e })}\n`);
    const first = failures.note(e);
    if (first) log('warn', first);
    // A device that never connected has nothing to lose: its stop is not news.
    if (e.type === 'disconnect' && !failures.wasConnected(e.device)) return;
    const line = describe(e, s);
    if (!line || levels.indexOf(line.level) < levels.indexOf(o.logLevel)) return;
    // Connects are what the command is for: stdout. Everything else is a log line (stderr).
    if (e.type === 'connect') process.stdout.write(`${line.text}\n`);
    else log(line.level, line.text);
  });
  fleet.start(o.count, o.namePrefix);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log('info', `${signal}: disconnecting ${fleet.devices.length} devices`);
    fleet.stop();
    // Disconnect frames are flushed on socket end; give them a moment, then leave.
    setTimeout(() => process.exit(0), 200).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // A reader that went away (`| head`) ends the run like a signal, not with an EPIPE crash.
  process.stdout.on('error', () => stop('stdout closed'));
}
