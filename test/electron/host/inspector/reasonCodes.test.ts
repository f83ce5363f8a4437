import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  CLOSE_REASONS,
  LINK_CLOSE_REASONS,
  type CloseReasonCode,
  type LinkCloseReasonCode,
} from '../../../../contract/hostContract.js';
import { CloseReason } from '../../../../broker/src/node/CloseReason.js';
import { LinkCloseReason } from '../../../../broker/src/cluster/LinkCloseReason.js';

/*
 * The contract mirrors the broker's close reason enums (the renderer does not import the broker):
 * these checks fail, at type level under tsc and at run time, as soon as one side gains, loses or
 * renames a code.
 */

describe('the reason codes of tap rows', () => {
  it('mirror the broker’s CloseReason exactly', () => {
    expectTypeOf<CloseReasonCode>().toEqualTypeOf<CloseReason>();
    expect([...CLOSE_REASONS].sort()).toEqual(Object.values(CloseReason).sort());
  });

  it('mirror the broker’s LinkCloseReason exactly', () => {
    expectTypeOf<LinkCloseReasonCode>().toEqualTypeOf<LinkCloseReason>();
    expect([...LINK_CLOSE_REASONS].sort()).toEqual(Object.values(LinkCloseReason).sort());
  });
});
