/**
 * Storage: every persistent item (items.ts; the overlay placement in overlay.ts), the stored
 * record shapes (records.ts) and the popup text for damaged stored state (problems.ts),
 * re-exported here so `from '…/lib/storage'` keeps working. The checked load of the background's stored state is lib/storage/load.ts (imported directly: it
 * carries the valibot shapes of shapes.ts, which pages that only read records do not need).
 */
export * from './items';
export { settingsItem } from './settings';
export * from './records';
export { overlayPlacementItem, overlayPlacementOf, placementProblem, PLACEMENT_MAX_PX } from './overlay';
export { storageProblemText, STORAGE_PROBLEM_LINES_SHOWN } from './problems';
