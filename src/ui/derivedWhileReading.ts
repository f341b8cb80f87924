/**
 * Values derived from the checkpoint store outside React: computed in their own task after the
 * inputs they read change, at once (next task) when nothing is being read and at most every
 * {@link BUSY_REFRESH_MS} while a drop streams in. A render never runs the derivation, so a store
 * update costs only the views' own rendering (issue 15). The runs report and the chart's series
 * are derived this way.
 */
import { create } from 'zustand';
import { useCheckpoints, type CheckpointState } from '../store/checkpointStore';

/** Milliseconds between recomputations of a derived value while a drop is being read. */
export const BUSY_REFRESH_MS = 1500;

/**
 * A hook on `compute(store)`, recomputed when one of `keys` of the store changes (and once reading
 * ends), as described above. `compute` must be pure.
 */
export function derivedWhileReading<T>(keys: readonly (keyof CheckpointState)[], compute: (s: CheckpointState) => T): () => T {
  const derived = create<{ readonly value: T }>(() => ({ value: compute(useCheckpoints.getState()) }));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt = 0;
  let lastRun = 0;
  const run = (): void => {
    timer = undefined;
    lastRun = performance.now();
    derived.setState({ value: compute(useCheckpoints.getState()) });
  };
  // after the current task; while reading, no sooner than BUSY_REFRESH_MS after the last time
  const schedule = (busy: boolean): void => {
    const at = busy ? Math.max(performance.now(), lastRun + BUSY_REFRESH_MS) : performance.now();
    if (timer !== undefined && timerAt <= at) return;
    if (timer !== undefined) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(run, Math.max(0, at - performance.now()));
  };
  useCheckpoints.subscribe((s, prev) => {
    if (keys.some((k) => s[k] !== prev[k]) || (prev.busy.length > 0 && s.busy.length === 0)) schedule(s.busy.length > 0);
  });
  return () => derived((s) => s.value);
}
