/**
 * The runs, verdicts and findings of what is loaded, shared by every view that shows them (the run
 * panel, the findings, the table's Run column, the repair panel), so they always agree.
 *
 * The report is computed outside React, in its own task, after the store's summaries change: at
 * once (next task) when nothing is being read, at most every {@link BUSY_REFRESH_MS} while a drop
 * streams in. A render never runs `analyzeRuns` (at 1,000 checkpoints it takes about 100 ms), so a
 * store update costs only the views' own rendering (issue 15).
 */
import { create } from 'zustand';
import { analyzeRuns, type RunsReport } from '../core/findings/runFindings';
import { loadedSummaries, useCheckpoints, type CheckpointState } from '../store/checkpointStore';

type Inputs = Pick<CheckpointState, 'order' | 'entries' | 'otherFolders' | 'sizes' | 'currentBatchesPerEpoch'>;
const KEYS: readonly (keyof Inputs)[] = ['order', 'entries', 'otherFolders', 'sizes', 'currentBatchesPerEpoch'];

/** Milliseconds between recomputations of the report while a drop is being read. */
export const BUSY_REFRESH_MS = 1500;

/** The report of `inputs` (pure). */
function reportOf(inputs: Inputs): RunsReport {
  return analyzeRuns({
    summaries: loadedSummaries(inputs),
    otherFolders: inputs.otherFolders,
    // sizes as the worker read them: File.size costs the page ~0.4 ms per file in Chromium
    files: [...inputs.sizes].map(([path, size]) => ({ path, size })),
    currentBatchesPerEpoch: inputs.currentBatchesPerEpoch,
  });
}

const useReport = create<{ readonly report: RunsReport }>(() => ({ report: reportOf(useCheckpoints.getState()) }));

let timer: ReturnType<typeof setTimeout> | undefined;
let timerAt = 0;
let lastRun = 0;

function run(): void {
  timer = undefined;
  lastRun = performance.now();
  useReport.setState({ report: reportOf(useCheckpoints.getState()) });
}

/** Recompute after the current task; while reading, no sooner than BUSY_REFRESH_MS after the last time. */
function schedule(busy: boolean): void {
  const at = busy ? Math.max(performance.now(), lastRun + BUSY_REFRESH_MS) : performance.now();
  if (timer !== undefined && timerAt <= at) return;
  if (timer !== undefined) clearTimeout(timer);
  timerAt = at;
  timer = setTimeout(run, Math.max(0, at - performance.now()));
}

useCheckpoints.subscribe((s, prev) => {
  if (KEYS.some((k) => s[k] !== prev[k]) || (prev.busy.length > 0 && s.busy.length === 0)) schedule(s.busy.length > 0);
});

/** Runs with their verdicts and every finding, for the loaded checkpoints. */
export function useRunsReport(): RunsReport {
  return useReport((s) => s.report);
}
