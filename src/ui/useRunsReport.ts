/**
 * The runs, verdicts and findings of what is loaded, computed once per change of the store's
 * summaries and shared by every view that shows them (the run panel, the findings, the table's Run
 * column), so they always agree.
 */
import { useDeferredValue } from 'react';
import { useThrottledWhileBusy } from './useThrottledWhileBusy';
import { analyzeRuns, type RunsReport } from '../core/findings/runFindings';
import { loadedSummaries, useCheckpoints, type CheckpointState } from '../store/checkpointStore';

type Inputs = Pick<CheckpointState, 'order' | 'entries' | 'otherFolders' | 'files' | 'currentBatchesPerEpoch'>;

/** Milliseconds between recomputations of the report while a drop is being read. */
export const BUSY_REFRESH_MS = 1500;

let last: { inputs: Inputs; report: RunsReport } | undefined;

/** The report for the store's current inputs (recomputed only when one of them changed). */
function reportOf(inputs: Inputs): RunsReport {
  if (last && (Object.keys(inputs) as (keyof Inputs)[]).every((k) => last?.inputs[k] === inputs[k])) return last.report;
  const report = analyzeRuns({
    summaries: loadedSummaries(inputs),
    otherFolders: inputs.otherFolders,
    files: [...inputs.files].map(([path, b]) => ({ path, size: b.size })),
    currentBatchesPerEpoch: inputs.currentBatchesPerEpoch,
  });
  last = { inputs, report };
  return report;
}

/** Runs with their verdicts and every finding, for the loaded checkpoints. */
export function useRunsReport(): RunsReport {
  // while summaries stream in, the report is recomputed at most every BUSY_REFRESH_MS, in a
  // background render that React can interrupt, never in the urgent render of a store update (issue 15)
  const busy = useCheckpoints((s) => s.busy.length > 0);
  const order = useDeferredValue(useThrottledWhileBusy(useCheckpoints((s) => s.order), busy, BUSY_REFRESH_MS));
  const entries = useDeferredValue(useThrottledWhileBusy(useCheckpoints((s) => s.entries), busy, BUSY_REFRESH_MS));
  const otherFolders = useDeferredValue(useCheckpoints((s) => s.otherFolders));
  const files = useDeferredValue(useCheckpoints((s) => s.files));
  const currentBatchesPerEpoch = useCheckpoints((s) => s.currentBatchesPerEpoch);
  return reportOf({ order, entries, otherFolders, files, currentBatchesPerEpoch });
}
