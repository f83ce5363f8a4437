import net from 'node:net';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { waitFor } from '../../helpers/waitFor.js';
import { seededHash, seededHashAuthenticator } from '../../../broker/src/node/auth.js';
import { connectPeer, published, subscribe } from '../../helpers/session.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import { encodePublish } from '../../../broker/src/protocol/publish.js';

/**
 * Speaks raw TCP exactly as the published C client and C LED device do, with every byte written
 * here by hand: no codec of ours on the device side.
 */
class HandWrittenCDevice {
  private rx = Buffer.alloc(0);
  readonly frames: Buffer[] = [];
  readonly socket: net.Socket;

  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.on('data', (c: Buffer) => {
      this.rx = Buffer.concat([this.rx, c]);
      while (this.rx.length >= 2 && this.rx.length >= this.rx.readUInt16BE(0)) {
        const len = this.rx.readUInt16BE(0);
        this.frames.push(this.rx.subarray(0, len));
        this.rx = this.rx.subarray(len);
      }
    });
  }

  write(hex: string): void {
    this.socket.write(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
  }

  async frame(i: number): Promise<Buffer> {
    return waitFor(() => this.frames[i], { what: `frame ${i}` });
  }
}

let n: RunningNode | undefined;
afterEach(async () => {
  await n?.close();
  n = undefined;
});

const hex = (s: string): string => Buffer.from(s, 'latin1').toString('hex');

describe('a hand-written C LED device on raw TCP', () => {
  it('bootstraps with HTTP/1.0, authenticates with the seeded SHA-1, sets up its topics and sends devinfo in fragments', async () => {
    n = await startNode({ hooks: { authenticate: seededHashAuthenticator('qwerty') } });
    const display = await connectPeer(n.port, 'ws', Buffer.from('display01'), (seed) =>
      seededHash('qwerty', seed),
    );
    const displayTid = await subscribe(display.peer, '/m2m/led/device');

    const dev = new HandWrittenCDevice(n.port);
    dev.socket.write(
      'GET /smq.lsp HTTP/1.0\r\nHost: 127.0.0.1\r\nSimpleMQ: 1\r\nUser-Agent: SimpleMQ\r\n\r\n',
    );
    const init = await dev.frame(0);
    // 00 11 | 01 Init | 01 version | seed x4 | "127.0.0.1"
    expect(init.toString('hex', 0, 4)).toBe('00110101');
    expect(init.toString('latin1', 8)).toBe('127.0.0.1');
    const seedLe = Buffer.from(init.subarray(4, 8)).reverse();
    const cred = createHash('sha1').update('qwerty').update(seedLe).digest('hex');
    const mac = '020000a1b2c3';
    const info = hex('LED dev');
    // len | 02 Connect | 02 version | 0000 max-frame | 06 uid | 14 cred (20 raw bytes) | info
    const body = `02 02 0000 06 ${mac} 14 ${cred} ${info}`.replace(/\s+/g, '');
    dev.write((body.length / 2 + 2).toString(16).padStart(4, '0') + body);
    const connack = await dev.frame(1);
    expect(connack.toString('hex', 0, 4)).toBe('00080300');
    const etid = connack.readUInt32BE(4);

    // Create /m2m/led/device, Create /m2m/temp, Createsub devinfo, Createsub led, Subscribe /m2m/led/display
    dev.write(`0012 06 ${hex('/m2m/led/device')}`);
    dev.write(`000c 06 ${hex('/m2m/temp')}`);
    dev.write(`000a 11 ${hex('devinfo')}`);
    dev.write(`0006 11 ${hex('led')}`);
    dev.write(`0013 04 ${hex('/m2m/led/display')}`);
    const acks = await Promise.all([2, 3, 4, 5, 6].map((i) => dev.frame(i)));
    expect(acks.map((a) => a[2])).toEqual([7, 7, 18, 18, 5]);
    expect(acks.map((a) => a.toString('latin1', 8))).toEqual([
      '/m2m/led/device',
      '/m2m/temp',
      'devinfo',
      'led',
      '/m2m/led/display',
    ]);
    const deviceTid = acks[0]!.readUInt32BE(4);
    expect(deviceTid).toBe(displayTid);
    const devinfoId = acks[2]!.readUInt32BE(4);
    for (const a of acks) expect(a.length).toBeLessThanOrEqual(127);

    // Observe the device TID: Change(tid, 1) at once, the one display.
    dev.write(`0007 0e ${deviceTid.toString(16).padStart(8, '0')}`);
    const ch = await dev.frame(7);
    expect(ch.toString('hex')).toBe(`000b10${deviceTid.toString(16).padStart(8, '0')}00000001`);

    // devinfo as PubFrag fragments of at most 112 payload bytes, destination 0 until the last.
    const devinfo = Buffer.from(
      '{"ipaddr":"127.0.0.1","devname":"LED dev","leds":[{"id":1,"name":"LED 1","color":"red","on":false},' +
        '{"id":2,"name":"LED 2","color":"yellow","on":false},{"id":3,"name":"LED 3","color":"green","on":false},' +
        '{"id":4,"name":"LED 4","color":"blue","on":false}],"temp":215}',
    );
    const u32 = (v: number): string => v.toString(16).padStart(8, '0');
    for (let o = 0; o < devinfo.length; o += 112) {
      const chunk = devinfo.subarray(o, o + 112);
      const dest = o + 112 >= devinfo.length ? deviceTid : 0;
      const frame = `13 ${u32(dest)} ${u32(etid)} ${u32(devinfoId)} ${chunk.toString('hex')}`.replace(
        /\s+/g,
        '',
      );
      expect(frame.length / 2 + 2).toBeLessThanOrEqual(127);
      dev.write((frame.length / 2 + 2).toString(16).padStart(4, '0') + frame);
    }
    const got = published(await display.peer.next(PacketType.Publish));
    expect(got).toEqual({ dest: deviceTid, ptid: etid, subtid: devinfoId, payload: devinfo.toString() });

    // The display sets LED 2 on: [2, 1] to the device's ETID; the device gets exactly these bytes.
    display.peer.send(encodePublish(etid, display.etid, 0, Buffer.of(2, 1)));
    const cmd = await dev.frame(8);
    expect(cmd.toString('hex')).toBe(
      `0011 08 ${u32(etid)} ${u32(display.etid)} 00000000 0201`.replace(/\s+/g, ''),
    );

    // Ping → an empty Pong: 00 03 0d.
    dev.write('0003 0c');
    expect((await dev.frame(9)).toString('hex')).toBe('00030d');

    // Its display leaves: Change(tid, 0), still a frame the C device can hold.
    display.peer.end();
    expect((await dev.frame(10)).toString('hex')).toBe(`000b10${u32(deviceTid)}00000000`);
    dev.socket.destroy();
  });
});
