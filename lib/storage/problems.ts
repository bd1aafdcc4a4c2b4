/**
 * The popup's text for `problemsItem.storage` (stored state found damaged at a worker start, see
 * lib/storage/load.ts). Pure and light: extension pages import it without any validation code.
 */
import type { MonitorProblems } from './records';

/** Most damaged entries listed one by one; the rest are counted. */
export const STORAGE_PROBLEM_LINES_SHOWN = 5;

/**
 * One notice text for damaged stored state, or null when there is none. Defensive: the value
 * comes from storage, so anything but `{ at: number, lines: string[] }` with lines reads as none.
 * @param p the stored `problemsItem` value
 * @param ageText how long ago `at` was, as the caller formats ages (e.g. lib/view/format.ts `formatAge`)
 * @example storageProblemText({ settings: null, storage: { at, lines: ['accounts › bybit: label: must be text; set aside in quarantine'] } }, () => '5 min')
 * //=> 'Stored data was damaged (found 5 min ago) and set aside; everything else loaded: accounts › bybit: label: must be text; set aside in quarantine.'
 */
export function storageProblemText(p: MonitorProblems | null | undefined, ageText: (at: number) => string): string | null {
  const s = p?.storage;
  if (typeof s !== 'object' || s === null || typeof s.at !== 'number' || !Array.isArray(s.lines)) return null;
  const lines = s.lines.filter((l): l is string => typeof l === 'string');
  if (!lines.length) return null;
  const shown = lines.slice(0, STORAGE_PROBLEM_LINES_SHOWN).join('; ');
  const more = lines.length > STORAGE_PROBLEM_LINES_SHOWN ? `; and ${lines.length - STORAGE_PROBLEM_LINES_SHOWN} more` : '';
  return `Stored data was damaged (found ${ageText(s.at)} ago) and set aside; everything else loaded: ${shown}${more}.`;
}
