import { describe, expect, it } from 'vitest';
import { addDays, ageOn, formatDay, formatPostcode, formatTime, isRealDate, londonDate, londonMidnight, whenRange } from './format';

describe('dates and times in the UK', () => {
  it('shows times in Europe/London whatever the offset of the instant', () => {
    expect(formatTime('2025-07-01T17:00:00Z')).toBe('6pm');
    expect(formatTime('2025-12-01T18:30:00+00:00')).toBe('6:30pm');
    expect(formatTime('2025-12-01T12:00:00Z')).toBe('midday');
  });

  it('names a day, with its year only when it is not this year', () => {
    expect(formatDay('2025-11-26T18:00:00Z', new Date('2025-12-01T10:00:00Z'))).toBe('Wednesday 26 November');
    expect(formatDay('2025-11-26T18:00:00Z', new Date('2026-01-02T10:00:00Z'))).toBe('Wednesday 26 November 2025');
    // Late in a UK summer evening the UK day is already the next one.
    expect(formatDay('2025-06-30T23:30:00Z', new Date('2025-07-01T10:00:00Z'))).toBe('Tuesday 1 July');
  });

  it('gives UK midnight with the right offset in summer and winter', () => {
    expect(londonMidnight('2025-07-01')).toBe('2025-07-01T00:00:00+01:00');
    expect(londonMidnight('2025-12-01')).toBe('2025-12-01T00:00:00+00:00');
  });

  it('knows the UK date late in the evening', () => {
    expect(londonDate(new Date('2025-06-30T23:30:00Z'))).toBe('2025-07-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
  });

  it('turns "this weekend" into Saturday to Monday', () => {
    const wednesday = new Date('2025-07-02T10:00:00Z');
    expect(whenRange('weekend', wednesday)).toEqual({ from: '2025-07-05T00:00:00+01:00', to: '2025-07-07T00:00:00+01:00' });
    expect(whenRange('any', wednesday)).toEqual({});
  });

  it('counts age in whole years', () => {
    expect(ageOn('2012-06-15', '2025-06-14')).toBe(12);
    expect(ageOn('2012-06-15', '2025-06-15')).toBe(13);
  });

  it('checks that a date is real', () => {
    expect(isRealDate(29, 2, 2012)).toBe(true);
    expect(isRealDate(29, 2, 2013)).toBe(false);
    expect(isRealDate(NaN, 1, 2010)).toBe(false);
  });

  it('writes a postcode as the API does, with one space before the inward code', () => {
    expect(formatPostcode('m320jg')).toBe('M32 0JG');
    expect(formatPostcode(' M32  0JG ')).toBe('M32 0JG');
    expect(formatPostcode('sw1a1aa')).toBe('SW1A 1AA');
  });
});
