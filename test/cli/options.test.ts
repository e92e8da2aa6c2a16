import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { dayOption, urlOrNone, wholeNumber } from '../../src/cli/options.js';

const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as Error).message;
  }
  throw new Error('expected the value to be refused');
};

describe('option values', () => {
  it('takes real calendar days only, written YYYY-MM-DD', () => {
    expect(dayOption('2024-02-29')).toBe('2024-02-29');
    for (const bad of ['2025-02-30', '2025-02-29', '2025-99-99', '2025-2-3', '14/02/2025', '2025-02-14T00:00', ''])
      expect(refusal(() => dayOption(bad))).toBe('expected a calendar date as YYYY-MM-DD, e.g. 2025-02-14.');
  });

  it('takes whole numbers in range, never a fraction, a sign outside the range, or words', () => {
    const offset = wholeNumber(0, 1000);
    expect(offset('0')).toBe(0);
    expect(offset('1000')).toBe(1000);
    for (const bad of ['abc', '1.5', '-1', '1001', '1e2', '0x10', ' ', ''])
      expect(refusal(() => offset(bad))).toBe('expected a whole number from 0 to 1000.');
  });

  it('takes an http(s) address, or "none" to clear one', () => {
    expect(urlOrNone('https://example.com/a')).toBe('https://example.com/a');
    expect(urlOrNone('none')).toBeNull();
    expect(refusal(() => urlOrNone('ftp://example.com/'))).toMatch(/http or https/);
    expect(refusal(() => urlOrNone('example'))).toMatch(/http or https/);
  });
});
