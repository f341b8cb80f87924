/**
 * The checkpoint rows (order and entries) as the table and the run, findings and diff panels show
 * them: derived outside React (`derivedWhileReading.ts`), so while a drop streams in these views
 * render at most every 1.5 s instead of at every batch of summaries (issue 15). The selected
 * checkpoint's card reads the store itself and follows every update.
 */
import type { CheckpointState } from '../store/checkpointStore';
import { derivedWhileReading } from './derivedWhileReading';

/** Rows in drop order and the entries by id, as of the last derivation. */
export const useLoaded: () => Pick<CheckpointState, 'order' | 'entries'> = derivedWhileReading(['order', 'entries'], (s) => ({ order: s.order, entries: s.entries }));
