import { describe, expect, it } from 'vitest';
import { millisToNanos, timeToNanos, toAnyValue, toKeyValues } from '../../../src/export/browser/otlp-json.js';
import { retryAfterMillis } from '../../../src/export/browser/otlp-http-sender.js';

describe('toAnyValue', () => {
  it('maps JavaScript values to the OTLP/JSON AnyValue', () => {
    expect(toAnyValue('a')).toEqual({ stringValue: 'a' });
    expect(toAnyValue(true)).toEqual({ boolValue: true });
    expect(toAnyValue(42)).toEqual({ intValue: '42' });
    expect(toAnyValue(-7)).toEqual({ intValue: '-7' });
    expect(toAnyValue(42.5)).toEqual({ doubleValue: 42.5 });
    expect(toAnyValue(2 ** 60)).toEqual({ doubleValue: 2 ** 60 });
    expect(toAnyValue(Number.NaN)).toEqual({ doubleValue: 'NaN' });
    expect(toAnyValue(-Infinity)).toEqual({ doubleValue: '-Infinity' });
    expect(toAnyValue(10n ** 18n)).toEqual({ intValue: '1000000000000000000' });
    expect(toAnyValue(new Uint8Array([0, 255, 16]))).toEqual({ bytesValue: 'AP8Q' });
    expect(toAnyValue(['x', 1])).toEqual({ arrayValue: { values: [{ stringValue: 'x' }, { intValue: '1' }] } });
    expect(toAnyValue({ k: 'v' })).toEqual({ kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } });
    expect(toAnyValue(null)).toEqual({});
  });

  it('leaves undefined attributes out', () => {
    expect(toKeyValues({ a: 1, b: undefined })).toEqual([{ key: 'a', value: { intValue: '1' } }]);
    expect(toKeyValues(undefined)).toEqual([]);
  });
});

describe('timestamps', () => {
  it('converts epoch milliseconds to nanosecond strings without losing precision', () => {
    expect(millisToNanos(1_795_414_702_816)).toBe('1795414702816000000');
    expect(millisToNanos(1_795_414_702_816.5)).toBe('1795414702816500000');
    expect(millisToNanos(0.25)).toBe('250000');
    expect(millisToNanos(-5)).toBe('0');
  });

  it('reads every TimeInput form', () => {
    expect(timeToNanos(1_795_414_702_816)).toBe('1795414702816000000');
    expect(timeToNanos(new Date(1_795_414_702_816))).toBe('1795414702816000000');
    expect(timeToNanos([1_795_414_702, 816_000_001])).toBe('1795414702816000001');
    expect(timeToNanos([1_795_414_702, 5])).toBe('1795414702000000005');
    // A small number is performance.now() time, relative to timeOrigin.
    const relative = BigInt(timeToNanos(1_000));
    const expected = BigInt(Math.round(performance.timeOrigin + 1_000)) * 1_000_000n;
    expect(Number(relative - expected)).toBeLessThan(1_000_000);
  });
});

describe('retryAfterMillis', () => {
  it('reads delta-seconds and HTTP dates, and ignores junk', () => {
    expect(retryAfterMillis('5', 0)).toBe(5_000);
    expect(retryAfterMillis('0', 0)).toBe(0);
    expect(retryAfterMillis('Wed, 21 Oct 2026 07:28:10 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT'))).toBe(10_000);
    expect(retryAfterMillis('Wed, 21 Oct 2026 07:28:00 GMT', Date.parse('Wed, 21 Oct 2026 08:00:00 GMT'))).toBe(0);
    expect(retryAfterMillis('soon', 0)).toBeUndefined();
    expect(retryAfterMillis(null, 0)).toBeUndefined();
    expect(retryAfterMillis('', 0)).toBeUndefined();
  });
});
