/**
 * Values derived from the checkpoint store outside React: computed after the inputs they read
 * change, at once (next task) when nothing is being read and at most every
 * {@link BUSY_REFRESH_MS} while a drop streams in. A render never runs the derivation, so a store
 * update costs only the views' own rendering (issue 15). The runs report, the chart's series and
 * the loaded rows the table and panels show are derived this way.
 *
 * One scheduler serves every derived value: the values due are computed one per task (each is tens
 * of milliseconds at 1,000 checkpoints, so no task holds several) and then given to their views
 * together, as one background update (`asBackground`): one transition render for all of them, but
 * for the costly views, whose values follow in a transition of their own.
 */
import { createStore, type StoreApi } from 'zustand';
import { asBackground } from '../store/backgroundUpdates';
import { bindStore } from '../store/bindStore';
import { useCheckpoints, type CheckpointState } from '../store/checkpointStore';

/** Milliseconds between recomputations of a derived value while a drop is being read. */
export const BUSY_REFRESH_MS = 1500;

/** One derived value: what it reads, how it is computed, and whether it is out of date. */
interface Derivation {
  readonly keys: readonly (keyof CheckpointState)[];
  readonly compute: (s: CheckpointState) => unknown;
  /** Recomputed only once nothing is being read (the previous value stays while reading). */
  readonly whenIdle: boolean;
  /** Cheap enough to compute inside a user's action (see refreshDerivedNow). */
  readonly urgent: boolean;
  readonly store: StoreApi<{ readonly value: unknown }>;
  dirty: boolean;
}

const derivations: Derivation[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;
let timerAt = 0;
let lastRun = 0;
/** True while a round of computations is under way (its tasks are queued). */
let running = false;
/** Counts {@link refreshDerivedNow} calls: a round under way when one is made publishes nothing (its values are older). */
let generation = 0;
/** Values computed by the round under way and not published yet (refreshDerivedNow computes them again). */
const unpublished = new Set<Derivation>();

/** Compute the dirty values one per task, then publish them together. */
function runRound(): void {
  timer = undefined;
  running = true;
  lastRun = performance.now();
  const started = generation;
  const busy = useCheckpoints.getState().busy.length > 0;
  const due = derivations.filter((d) => d.dirty && !(busy && d.whenIdle));
  const results: [Derivation, unknown][] = [];
  const step = (i: number): void => {
    // (a round overtaken by refreshDerivedNow stops: what it has not computed stays dirty)
    if (i < due.length && generation === started) {
      const d = due[i];
      d.dirty = false;
      unpublished.add(d);
      results.push([d, d.compute(useCheckpoints.getState())]);
      setTimeout(() => step(i + 1), 0);
      return;
    }
    running = false;
    unpublished.clear();
    // after refreshDerivedNow this round's values are older than what its views show: dropped
    // (refreshDerivedNow marked them to be computed again)
    if (generation === started) {
      const publish = (list: [Derivation, unknown][]): void =>
        asBackground(() => {
          for (const [d, value] of list) d.store.setState({ value });
        });
      // the rows and verdicts first; the costly views (the chart) in a transition of their own
      // once those are on screen (after the next frame: a transition given to React before the
      // first one is committed is rendered with it)
      publish(results.filter(([d]) => !d.whenIdle));
      const costly = results.filter(([d]) => d.whenIdle);
      if (costly.length) afterNextFrame(() => publish(costly));
    }
    // inputs that changed during the round (or values held back until reading ends)
    const s = useCheckpoints.getState();
    if (derivations.some((d) => d.dirty && !(s.busy.length > 0 && d.whenIdle))) schedule(s.busy.length > 0);
  };
  step(0);
}

/** Run `f` in a task after the next frame is rendered (or soon, where frames are not rendered). */
function afterNextFrame(f: () => void): void {
  if (typeof requestAnimationFrame === 'undefined') setTimeout(f, 0);
  else requestAnimationFrame(() => setTimeout(f, 0));
}

/** Run a round after the current task; while reading, no sooner than BUSY_REFRESH_MS after the last. */
function schedule(busy: boolean): void {
  if (running) return; // the round's end looks for what is still dirty
  const at = busy ? Math.max(performance.now(), lastRun + BUSY_REFRESH_MS) : performance.now();
  if (timer !== undefined && timerAt <= at) return;
  if (timer !== undefined) clearTimeout(timer);
  timerAt = at;
  timer = setTimeout(runRound, Math.max(0, at - performance.now()));
}

useCheckpoints.subscribe((s, prev) => {
  const ended = prev.busy.length > 0 && s.busy.length === 0;
  let any = false;
  for (const d of derivations) {
    if (ended || d.keys.some((k) => s[k] !== prev[k])) {
      d.dirty = true;
      any = true;
    }
  }
  if (any) schedule(s.busy.length > 0);
});

/**
 * For the user's own actions whose result must show at once, such as Stop (its rows say "not
 * read" in the same task): the out-of-date values made with `urgent` (cheap ones) are computed now
 * and given to their views as an urgent update (not a transition); the others follow in a round
 * started at once.
 */
export function refreshDerivedNow(): void {
  generation++;
  const s = useCheckpoints.getState();
  for (const d of derivations) {
    // a value the round under way computed will not be published by it (see generation)
    if (unpublished.has(d)) d.dirty = true;
    if (!d.dirty || !d.urgent) continue;
    d.dirty = false;
    d.store.setState({ value: d.compute(s) });
  }
  unpublished.clear();
  if (derivations.some((d) => d.dirty)) {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    lastRun = 0;
    schedule(s.busy.length > 0);
  }
}

/** Options of {@link derivedWhileReading}. */
export interface DerivedOptions {
  /** Keep the previous value while a drop is read; compute once reading ends (for a costly view, e.g. the chart). */
  readonly whenIdle?: boolean;
  /** Cheap (no work that grows with the drop beyond a copy): computed at once by {@link refreshDerivedNow}. */
  readonly urgent?: boolean;
}

/**
 * A hook on `compute(store)`, recomputed when one of `keys` of the store changes (and once reading
 * ends), as described above. `compute` must be pure.
 */
export function derivedWhileReading<T>(keys: readonly (keyof CheckpointState)[], compute: (s: CheckpointState) => T, options: DerivedOptions = {}): () => T {
  const store = createStore<{ readonly value: T }>(() => ({ value: compute(useCheckpoints.getState()) }));
  derivations.push({ keys, compute, whenIdle: options.whenIdle ?? false, urgent: options.urgent ?? false, store: store as StoreApi<{ readonly value: unknown }>, dirty: false });
  const useValue = bindStore(store);
  return () => useValue((s) => s.value);
}
