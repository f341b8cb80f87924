/**
 * The checkpoint rows (order and entries) as the table and the run, findings and diff panels show
 * them: derived outside React (`derivedWhileReading.ts`), so while a drop streams in these views
 * render at most every 1.5 s instead of at every batch of summaries (issue 15). The selected
 * checkpoint's card reads the store itself and follows every update.
 */
import type { CheckpointState } from '../store/checkpointStore';
import { derivedWhileReading } from './derivedWhileReading';

/** Rows in drop order and the entries by id. */
type Loaded = Pick<CheckpointState, 'order' | 'entries'>;

const rowsOf = (s: CheckpointState): Loaded => ({ order: s.order, entries: s.entries });

/** For the table: after Stop its rows say "not read" in the click's own render (no work: urgent). */
export const useLoadedRows: () => Loaded = derivedWhileReading(['order', 'entries'], rowsOf, { urgent: true });

/** For the run, findings and compare panels: they follow in the background, with the runs report. */
export const useLoaded: () => Loaded = derivedWhileReading(['order', 'entries'], rowsOf);
