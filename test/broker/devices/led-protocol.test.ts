import { describe, expect, it } from 'vitest';
import { hex, toHex } from '../../helpers/hex.js';
import {
  decodeDevinfo,
  decodeLed,
  decodeTemp,
  encodeDevinfo,
  encodeLed,
  encodeTemp,
  LED_TABLE,
  LedProtocolError,
} from '../../../broker/src/devices/ledProtocol.js';
import { seededRandom } from '../../../broker/src/devices/random.js';

/** The C device's devinfo, typed out by hand from SMQ-PROTOCOL.md and m2m-led.c's sendDevInfo. */
const DEVINFO_TEXT =
  '{"ipaddr":"10.0.0.7","devname":"LED dev","leds":[' +
  '{"id":1,"name":"LED 1","color":"red","on":false},' +
  '{"id":2,"name":"LED 2","color":"yellow","on":true},' +
  '{"id":3,"name":"LED 3","color":"green","on":false},' +
  '{"id":4,"name":"LED 4","color":"blue","on":false}],"temp":-12}';

const leds = LED_TABLE.map((l) => ({ ...l, on: l.id === 2 }));

describe('the m2m-LED payload codec against hand-written bytes', () => {
  it('encodes devinfo with the keys in the C order: ipaddr, devname, leds {id,name,color,on}, temp', () => {
    const bytes = encodeDevinfo({ ipaddr: '10.0.0.7', devname: 'LED dev', leds, temp: -12 });
    expect(toHex(bytes)).toBe(Buffer.from(DEVINFO_TEXT, 'latin1').toString('hex'));
  });

  it('leaves temp out for a device without a sensor', () => {
    const bytes = encodeDevinfo({ ipaddr: '1.2.3.4', devname: 'x', leds: [] });
    expect(Buffer.from(bytes).toString('latin1')).toBe('{"ipaddr":"1.2.3.4","devname":"x","leds":[]}');
  });

  it('decodes the hand-written devinfo, temp absent or present', () => {
    expect(decodeDevinfo(Buffer.from(DEVINFO_TEXT))).toEqual({
      ipaddr: '10.0.0.7',
      devname: 'LED dev',
      leds,
      temp: -12,
    });
    const noTemp = decodeDevinfo(Buffer.from('{"ipaddr":"a","devname":"b","leds":[]}'));
    expect(noTemp).toEqual({ ipaddr: 'a', devname: 'b', leds: [] });
    expect(noTemp).not.toHaveProperty('temp');
  });

  it('encodes and decodes [ledId, on] as two bytes', () => {
    expect(toHex(encodeLed(2, true))).toBe('0201');
    expect(toHex(encodeLed(4, false))).toBe('0400');
    expect(decodeLed(hex('03 01'))).toEqual({ ledId: 3, on: true });
    // The C device passes the byte to setLed(ledId, on): any non-zero is on.
    expect(decodeLed(hex('01 07'))).toEqual({ ledId: 1, on: true });
  });

  it('encodes and decodes temperatures as signed 16-bit big-endian tenths of °C', () => {
    const vectors: [number, string][] = [
      [215, '00d7'],
      [0, '0000'],
      [-5, 'fffb'],
      [-400, 'fe70'],
      [0x7fff, '7fff'],
      [-0x8000, '8000'],
    ];
    for (const [tenths, bytes] of vectors) {
      expect(toHex(encodeTemp(tenths))).toBe(bytes);
      expect(decodeTemp(hex(bytes))).toBe(tenths);
    }
    expect(() => encodeTemp(0x8000)).toThrow(RangeError);
  });

  it('returns typed errors for bad payloads, never throws', () => {
    const code = (v: unknown): string | undefined => (v instanceof LedProtocolError ? v.code : undefined);
    expect(code(decodeLed(hex('01')))).toBe('SMQ_ERR_LED_BAD_LENGTH');
    expect(code(decodeLed(hex('01 01 01')))).toBe('SMQ_ERR_LED_BAD_LENGTH');
    expect(code(decodeTemp(hex('00')))).toBe('SMQ_ERR_LED_BAD_LENGTH');
    expect(code(decodeDevinfo(hex('ff fe')))).toBe('SMQ_ERR_LED_BAD_UTF8');
    expect(code(decodeDevinfo(Buffer.from('{"ipaddr":')))).toBe('SMQ_ERR_LED_BAD_JSON');
    const bad = [
      '[]',
      'null',
      '{"devname":"b","leds":[]}',
      '{"ipaddr":"a","devname":1,"leds":[]}',
      '{"ipaddr":"a","devname":"b","leds":{}}',
      '{"ipaddr":"a","devname":"b","leds":[{"id":1,"name":"x","color":"pink","on":true}]}',
      '{"ipaddr":"a","devname":"b","leds":[{"id":256,"name":"x","color":"red","on":true}]}',
      '{"ipaddr":"a","devname":"b","leds":[{"id":1,"name":"x","color":"red","on":1}]}',
      '{"ipaddr":"a","devname":"b","leds":[],"temp":21.5}',
      '{"ipaddr":"a","devname":"b","leds":[],"temp":40000}',
    ];
    for (const text of bad)
      expect(code(decodeDevinfo(Buffer.from(text))), text).toBe('SMQ_ERR_LED_BAD_DEVINFO');
    const random = seededRandom(7);
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 256));
      for (const decode of [decodeDevinfo, decodeLed, decodeTemp]) expect(() => decode(bytes)).not.toThrow();
    }
  });
});
