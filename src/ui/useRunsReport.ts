/**
 * The runs, verdicts and findings of what is loaded, shared by every view that shows them (the run
 * panel, the findings, the table's Run column, the repair panel), so they always agree. Derived
 * outside React (`derivedWhileReading.ts`): at 1,000 checkpoints `analyzeRuns` takes about 100 ms.
 */
import { analyzeRuns, RunReportCache, type RunsReport } from '../core/findings/runFindings';
import { loadedSummaries } from '../store/checkpointStore';
import { derivedWhileReading } from './derivedWhileReading';

/** The reports of the last analysis: a refresh analyses again only the runs whose checkpoints changed. */
const cache = new RunReportCache();

/** Runs with their verdicts and every finding, for the loaded checkpoints. */
export const useRunsReport: () => RunsReport = derivedWhileReading(['order', 'entries', 'otherFolders', 'sizes', 'currentBatchesPerEpoch'], (s) =>
  analyzeRuns({
    summaries: loadedSummaries(s),
    otherFolders: s.otherFolders,
    // sizes as the worker read them: File.size costs the page ~0.4 ms per file in Chromium
    files: [...s.sizes].map(([path, size]) => ({ path, size })),
    currentBatchesPerEpoch: s.currentBatchesPerEpoch,
  }, cache),
);
