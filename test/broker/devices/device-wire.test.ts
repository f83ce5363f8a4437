import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { waitFor } from '../../helpers/waitFor.js';
import { FakeRawBroker } from '../../helpers/FakeRawBroker.js';
import { LedDevice } from '../../../broker/src/devices/LedDevice.js';
import { manualClock } from './fixtures.js';

/**
 * Our LED device against a fake broker that answers with bytes typed out by hand from
 * SMQ-PROTOCOL.md and the published C sources (SMQClient.c, m2m-led.c): every byte the device
 * sends is compared with hand-written hex, never with our own encoder's output.
 */

/** Hand-written hex: spaces and `|` between fields are ignored. */
const h = (s: string): Buffer => Buffer.from(s.replace(/[\s|]+/g, ''), 'hex');
/** ASCII text as bytes: names and JSON are text in the spec. */
const a = (s: string): Buffer => Buffer.from(s, 'latin1');
const cat = (...parts: Buffer[]): Buffer => Buffer.concat(parts);

const REQUEST = 'GET /smq.lsp HTTP/1.0\r\nHost: 127.0.0.1\r\nSimpleMQ: 1\r\nUser-Agent: SimpleMQ/1\r\n\r\n';
// Init: length 0x11, type 1, version 1, seed 0a0b0c0d, "127.0.0.1".
const INIT = cat(h('0011 01 01 0a0b0c0d'), a('127.0.0.1'));
// Connect v2, max-frame hint 0, uid 02:a1:b2:c3:d4:e5, 20-byte SHA-1("qwerty" + seed bytes 0d 0c 0b 0a), info.
const CONNECT = cat(
  h('002a 02 02 0000 06 02a1b2c3d4e5 14 06e2270987625eb6356ff2de53e4ea2e7b853a1c'),
  a('LED-test'),
);
const SETUP = cat(
  h('0012 06'),
  a('/m2m/led/device'),
  h('000c 06'),
  a('/m2m/temp'),
  h('000a 11'),
  a('devinfo'),
  h('0006 11'),
  a('led'),
  h('0013 04'),
  a('/m2m/led/display'),
);
/** The broker's acks: device topic `deviceTid`, temp `deviceTid + 1`, devinfo 1, led 2, display 4. */
const acks = (deviceTid: string, tempTid: string): Buffer =>
  cat(
    h(`0017 07 00 ${deviceTid}`),
    a('/m2m/led/device'),
    h(`0011 07 00 ${tempTid}`),
    a('/m2m/temp'),
    h('000f 12 00 00000001'),
    a('devinfo'),
    h('000b 12 00 00000002'),
    a('led'),
    h('0018 05 00 00000004'),
    a('/m2m/led/display'),
  );

const OFF = (n: number, color: string): string =>
  `{"id":${n},"name":"LED ${n}","color":"${color}","on":false}`;
const DEVINFO_1 =
  '{"ipaddr":"127.0.0.1","devname":"LED-test","leds":[' +
  [OFF(1, 'red'), OFF(2, 'yellow'), OFF(3, 'green'), OFF(4, 'blue')].join(',') +
  '],"temp":215}';

/**
 * devinfo as the C device streams it through its 127-byte buffer: two full PubFrag frames (0x7f)
 * with destination 0 and sub-topic 0, then the last one with destination and sub-topic.
 */
function devinfoFrames(json: string, lastLen: string, dest: string, ptid: string, subtid: string): Buffer {
  expect(json.length).toBeGreaterThan(224);
  expect(json.length).toBeLessThan(336);
  return cat(
    h(`007f 13 00000000 ${ptid} 00000000`),
    a(json.slice(0, 112)),
    h(`007f 13 00000000 ${ptid} 00000000`),
    a(json.slice(112, 224)),
    h(`${lastLen} 13 ${dest} ${ptid} ${subtid}`),
    a(json.slice(224)),
  );
}

let fake: FakeRawBroker | undefined;
let wss: WebSocketServer | undefined;
const devices: LedDevice[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) d.kill();
  await fake?.close();
  wss?.close();
  fake = wss = undefined;
});

function device(url: string, clock = manualClock(), random = () => 0.9): LedDevice {
  const d = new LedDevice({
    urls: url,
    name: 'LED-test',
    uid: h('02a1b2c3d4e5'),
    password: 'qwerty',
    temp: 215,
    clock,
    random,
    reconnect: { minDelayMs: 20, maxDelayMs: 100 },
  });
  devices.push(d);
  return d;
}

describe('the simulated LED device on the wire (raw TCP, byte for byte)', () => {
  it('sends what the C LED device sends, in its order, on the first connection and after a reconnect', async () => {
    fake = await new FakeRawBroker().listen();
    const clock = manualClock();
    const dev = device(`http://127.0.0.1:${fake.port}/smq.lsp`, clock);

    await fake.expect(0, a(REQUEST), 'the bare HTTP/1.0 request of the C client');
    fake.send(0, INIT);
    await fake.expect(0, CONNECT, 'Connect v2 with the MAC uid, seeded SHA-1 and devname');
    fake.send(0, h('0008 03 00 00a00001'));
    await fake.expect(
      0,
      SETUP,
      'Create device, Create temp, Createsub devinfo, Createsub led, Subscribe display',
    );
    fake.send(0, acks('00000002', '00000003'));
    await fake.expect(0, h('0007 0e 00000002'), 'Observe of the device TID');
    await fake.expect(
      0,
      devinfoFrames(DEVINFO_1, '0038', '00000002', '00a00001', '00000001'),
      'devinfo to /m2m/led/device in PubFrag fragments of 112 bytes',
    );
    expect(dev.state).toMatchObject({ connected: true, etid: 0x00a00001, ipaddr: '127.0.0.1' });

    // One display: Change(device TID, 1).
    fake.send(0, h('000b 10 00000002 00000001'));
    await waitFor(() => dev.state.displays === 1, { what: 'display count 1' });

    // A display (ETID 00a00002) says Hello on the display topic: devinfo to its ETID, subtid devinfo.
    fake.send(0, cat(h('0014 08 00000004 00a00002 00000000'), a('Hello')));
    await fake.expect(
      0,
      devinfoFrames(DEVINFO_1, '0038', '00a00002', '00a00001', '00000001'),
      'devinfo to the display ETID',
    );

    // [2, 1] to the device's ETID: LED 2 on, then the led message to the device topic, subtid led.
    fake.send(0, h('0011 08 00a00001 00a00002 00000000 0201'));
    await fake.expect(0, h('0011 08 00000002 00a00001 00000002 0201'), 'the led broadcast');
    expect(dev.state.leds.map((l) => l.on)).toEqual([false, true, false, false]);

    // An unknown LED and a short command: ignored and counted, nothing sent; the next one works.
    fake.send(0, h('0011 08 00a00001 00a00002 00000000 0901'));
    fake.send(0, h('0010 08 00a00001 00a00002 00000000 03'));
    fake.send(0, h('0011 08 00a00001 00a00002 00000000 0400'));
    await fake.expect(0, h('0011 08 00000002 00a00001 00000002 0400'), 'the next valid command only');
    expect(dev.state.invalidCommands).toBe(2);

    // The temperature drifts up a tenth: 216 = 00d8 on /m2m/temp, subtid 0.
    clock.tick();
    await fake.expect(0, h('0011 08 00000003 00a00001 00000000 00d8'), 'the temperature');
    expect(dev.state.temp).toBe(216);

    // Ping → empty Pong.
    fake.send(0, h('0003 0c'));
    await fake.expect(0, h('0003 0d'), 'Pong');
    expect(fake.rest(0)).toBe('');

    // The broker goes away without a word: the device comes back and does it all again, by name.
    fake.sockets[0]!.destroy();
    await waitFor(() => fake!.sockets.length === 2, { what: 'a second connection' });
    await fake.expect(1, a(REQUEST), 'the request again');
    fake.send(1, INIT);
    await fake.expect(1, CONNECT, 'Connect again');
    fake.send(1, h('0008 03 00 00a00003'));
    await fake.expect(1, SETUP, 'the same setup in the same order');
    fake.send(1, acks('00000005', '00000006'));
    await fake.expect(1, h('0007 0e 00000005'), 'Observe of the new device TID');
    const devinfo2 = DEVINFO_1.replace('"yellow","on":false', '"yellow","on":true').replace('215', '216');
    await fake.expect(
      1,
      devinfoFrames(devinfo2, '0037', '00000005', '00a00003', '00000001'),
      'devinfo with the current LEDs and temperature, new ids',
    );
    expect(dev.state).toMatchObject({ connected: true, etid: 0x00a00003, connects: 2 });

    // A clean stop sends Disconnect (SMQ_disconnect), then closes.
    dev.stop();
    await fake.expect(1, h('0003 0b'), 'Disconnect');
    await waitFor(() => fake!.ended[1], { what: 'the socket closed' });
    expect(fake.rest(1)).toBe('');
  });

  it('closes without Disconnect when killed, and sends empty credentials without a password', async () => {
    fake = await new FakeRawBroker().listen();
    const dev = new LedDevice({
      urls: `http://127.0.0.1:${fake.port}/`,
      name: 'X',
      uid: h('020000000001'),
      sensor: false,
      clock: manualClock(),
    });
    devices.push(dev);
    await fake.expect(
      0,
      a('GET / HTTP/1.0\r\nHost: 127.0.0.1\r\nSimpleMQ: 1\r\nUser-Agent: SimpleMQ/1\r\n\r\n'),
      'request',
    );
    fake.send(0, INIT);
    // credLen 0, no credential bytes, info "X".
    await fake.expect(0, h('000f 02 02 0000 06 020000000001 00 58'), 'Connect without credentials');
    fake.send(0, h('0008 03 00 00a00009'));
    // No sensor: no Create /m2m/temp (m2m-led.c without ENABLE_TEMP).
    await fake.expect(
      0,
      cat(
        h('0012 06'),
        a('/m2m/led/device'),
        h('000a 11'),
        a('devinfo'),
        h('0006 11'),
        a('led'),
        h('0013 04'),
        a('/m2m/led/display'),
      ),
      'setup without the temperature topic',
    );
    dev.kill();
    await waitFor(() => fake!.ended[0], { what: 'the socket closed' });
    expect(fake.rest(0)).toBe('');
    expect(dev.state).toMatchObject({ stopped: true, connected: false });
  });
});

describe('the simulated LED device over WebSocket', () => {
  it('sends devinfo as one Publish: PubFrag is raw TCP only', async () => {
    const frames: Buffer[] = [];
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => wss!.once('listening', r));
    wss.on('connection', (ws: WebSocket) => {
      ws.on('message', (m: Buffer) => {
        frames.push(Buffer.from(m));
        const type = m[0];
        // Connect → Connack; Create/Createsub/Subscribe → their acks (unframed on WebSocket).
        if (type === 0x02) ws.send(h('03 00 00a00001'));
        else if (type === 0x06)
          ws.send(
            cat(
              h(m.toString('latin1', 1) === '/m2m/temp' ? '07 00 00000003' : '07 00 00000002'),
              m.subarray(1),
            ),
          );
        else if (type === 0x11)
          ws.send(
            cat(h(m.toString('latin1', 1) === 'led' ? '12 00 00000002' : '12 00 00000001'), m.subarray(1)),
          );
        else if (type === 0x04) ws.send(cat(h('05 00 00000004'), m.subarray(1)));
      });
      ws.send(cat(h('01 01 0a0b0c0d'), a('127.0.0.1')));
    });
    const port = (wss.address() as net.AddressInfo).port;
    device(`ws://127.0.0.1:${port}/smq.lsp`);
    const devinfo = await waitFor(() => frames.find((f) => f[0] === 0x08 || f[0] === 0x13), {
      what: 'devinfo',
    });
    expect(devinfo.toString('hex')).toBe(
      cat(h('08 00000002 00a00001 00000001'), a(DEVINFO_1)).toString('hex'),
    );
    expect(frames.map((f) => f[0])).toEqual([0x02, 0x06, 0x06, 0x11, 0x11, 0x04, 0x0e, 0x08]);
  });
});
