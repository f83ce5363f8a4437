import { describe, expectTypeOf, it } from 'vitest';
import {
  connect,
  SmqClient,
  type ChangeHandler,
  type CloseInfo,
  type Credentials,
  type SubscribeOptions,
} from '../../../broker/src/client/node.js';
import { connect as connectBrowser } from '../../../broker/src/client/browser.js';

/** Type-level claims, checked by `tsc -p tsconfig.json` (which includes test/); nothing runs. */
describe('public client API types', () => {
  it('has the published SMQ.Client shape, with promises for acks', () => {
    expectTypeOf(connect).parameters.toEqualTypeOf<
      [urls: string | readonly string[], options?: Parameters<typeof connect>[1]]
    >();
    expectTypeOf(connect).returns.toEqualTypeOf<SmqClient>();
    expectTypeOf(connectBrowser).returns.toEqualTypeOf<SmqClient>();
    expectTypeOf<SmqClient['create']>().toEqualTypeOf<(topic: string) => Promise<number>>();
    expectTypeOf<SmqClient['createsub']>().toEqualTypeOf<(subtopic: string) => Promise<number>>();
    expectTypeOf<SmqClient['subscribe']>().toEqualTypeOf<
      (topic: string, options: SubscribeOptions) => Promise<number>
    >();
    expectTypeOf<SmqClient['publish']>().toEqualTypeOf<
      (data: string | Uint8Array, topic: string | number, subtopic?: string | number) => void
    >();
    expectTypeOf<SmqClient['pubjson']>().parameters.toEqualTypeOf<
      [value: unknown, topic: string | number, subtopic?: string | number]
    >();
    expectTypeOf<SmqClient['observe']>().toEqualTypeOf<
      (topic: string | number, onchange: ChangeHandler) => void
    >();
    expectTypeOf<ChangeHandler>().parameters.toEqualTypeOf<[count: number, topicOrEtid: string | number]>();
    expectTypeOf<SmqClient['unobserve']>().toEqualTypeOf<(topic: string | number) => void>();
    expectTypeOf<SmqClient['unsubscribe']>().toEqualTypeOf<(topic: string) => void>();
    expectTypeOf<SmqClient['gettid']>().toEqualTypeOf<() => number>();
    expectTypeOf<SmqClient['topic2tid']>().returns.toEqualTypeOf<number | undefined>();
    expectTypeOf<SmqClient['tid2topic']>().returns.toEqualTypeOf<string | undefined>();
    expectTypeOf<SmqClient['subtopic2tid']>().returns.toEqualTypeOf<number | undefined>();
    expectTypeOf<SmqClient['tid2subtopic']>().returns.toEqualTypeOf<string | undefined>();
    expectTypeOf<SmqClient['disconnect']>().toEqualTypeOf<() => void>();
    expectTypeOf<SmqClient['onclose']>().toEqualTypeOf<
      ((reason: string, reconnecting: boolean, info: CloseInfo) => void) | undefined
    >();
    expectTypeOf<CloseInfo['cause']>().toEqualTypeOf<
      'lost' | 'protocol' | 'refused' | 'disconnect' | 'client'
    >();
    expectTypeOf<SmqClient['onconnect']>().toEqualTypeOf<
      ((etid: number, seed: number, ip: string) => void) | undefined
    >();
  });

  it('types the message by the datatype: bytes by default, string for text, unknown for JSON', () => {
    // Only compiled, never called: the claims are about types.
    const check = (c: SmqClient): void => {
      void c.subscribe('t', { onmsg: (data) => expectTypeOf(data).toEqualTypeOf<Uint8Array>() });
      void c.subscribe('t', {
        datatype: 'binary',
        onmsg: (data) => expectTypeOf(data).toEqualTypeOf<Uint8Array>(),
      });
      void c.subscribe('t', {
        datatype: 'text',
        onmsg: (data) => expectTypeOf(data).toEqualTypeOf<string>(),
      });
      void c.subscribe('t', {
        datatype: 'json',
        subtopic: 'devinfo',
        onmsg: (data, ptid, tid, subtid) => {
          expectTypeOf(data).toEqualTypeOf<unknown>();
          expectTypeOf([ptid, tid, subtid]).toEqualTypeOf<number[]>();
        },
      });
      // @ts-expect-error a text handler cannot take bytes
      void c.subscribe('t', { datatype: 'text', onmsg: (data: Uint8Array) => data });
      // @ts-expect-error there is no such datatype
      void c.subscribe('t', { datatype: 'xml', onmsg: () => {} });
      // @ts-expect-error onmsg is required
      void c.subscribe('t', { datatype: 'text' });
    };
    expectTypeOf(check).toBeFunction();
  });

  it('takes credentials as bytes, text, or a (possibly async) function of the seed', () => {
    expectTypeOf<Uint8Array>().toExtend<Credentials>();
    expectTypeOf<(seed: number) => Uint8Array>().toExtend<Credentials>();
    expectTypeOf<(seed: number, ip: string) => Promise<Uint8Array>>().toExtend<Credentials>();
    expectTypeOf<(seed: string) => Uint8Array>().not.toExtend<Credentials>();
  });
});
