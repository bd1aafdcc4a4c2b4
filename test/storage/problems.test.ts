import { describe, expect, it } from 'vitest';
import { storageProblemText, STORAGE_PROBLEM_LINES_SHOWN } from '@/lib/storage/problems';

const age = (at: number) => `${at} s`;

describe('storageProblemText: the popup notice for damaged stored state', () => {
  it('names each damaged entry, up to the limit, then counts the rest', () => {
    const lines = Array.from({ length: STORAGE_PROBLEM_LINES_SHOWN + 2 }, (_, i) => `ratioHistory › a${i}: 0.r: must be a number or null; set aside in quarantine`);
    const t = storageProblemText({ settings: null, storage: { at: 7, lines } }, age)!;
    expect(t.startsWith('Stored data was damaged (found 7 s ago) and set aside; everything else loaded: ratioHistory › a0: ')).toBe(true);
    expect(t).toContain(`a${STORAGE_PROBLEM_LINES_SHOWN - 1}:`);
    expect(t).not.toContain(`a${STORAGE_PROBLEM_LINES_SHOWN}:`);
    expect(t.endsWith('; and 2 more.')).toBe(true);
  });

  it.each([
    ['no report', { settings: null }],
    ['a null report', { settings: null, storage: null }],
    ['no lines', { settings: null, storage: { at: 1, lines: [] } }],
    ['a damaged report', { settings: null, storage: { at: 'x', lines: 'y' } }],
    ['a damaged item', null],
  ])('%s → none', (_name, p) => {
    expect(storageProblemText(p as never, age)).toBeNull();
  });
});
