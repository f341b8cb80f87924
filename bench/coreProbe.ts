/**
 * Benchmark helper, run in a fresh Node process (`node --expose-gc --import tsx bench/coreProbe.ts
 * DIR RUNS EPOCH`): the ckptview core in-process on one checkpoint folder.
 *
 * - summary: the CLI's inspect pipeline (`analyzeInputs`: plan, analyse, findings), timed with
 *   performance.now() per run; bytes read counted by `countingSource` on every file;
 * - repair: parse + `planMarkEpochComplete` + `verifyRepair` of the folder's training_state.pth
 *   (what the page does before it offers the download; nothing written), timed per run;
 * - memory: peak RSS (process.resourceUsage().maxRSS) before and after each phase, so the growth
 *   of the high-water mark is what the phase needed beyond the loaded program.
 *
 * Prints one JSON line.
 */
import { join } from 'node:path';
import { countingSource } from '../src/core/bytes/byteSource';
import { planMarkEpochComplete } from '../src/core/repair/markEpochComplete';
import { literalBytes } from '../src/core/repair/segments';
import { verifyRepair } from '../src/core/repair/verifyRepair';
import { loadTorchFile } from '../src/core/torch/loadTorchFile';
import { openFileSource } from '../src/node/fileSource';
import { analyzeInputs } from '../src/cli/analyzeInputs';
import { collectInputs } from '../src/cli/collectInputs';

const [dir, runsText, epochText] = process.argv.slice(2);
const runs = Number(runsText ?? 10);
const epoch = Number(epochText ?? 1);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const maxRss = (): number => process.resourceUsage().maxRSS * 1024;

gc();
const start = { rss: process.memoryUsage().rss, maxRss: maxRss() };

const summaryMs: number[] = [];
let summary: Record<string, unknown> = {};
let bytesRead = 0;
let reads = 0;
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  const r = await analyzeInputs(collectInputs([dir]));
  summaryMs.push(performance.now() - t);
  const s = r.summaries[0];
  bytesRead = r.reads.bytesRead;
  reads = r.reads.reads;
  summary = {
    epoch: s.progress?.epoch,
    step: s.progress?.step,
    totalBatches: s.progress?.totalBatches,
    progressPercent: s.progress?.progressPercent,
    resume: s.progress?.resume.text,
    bestValF1: s.bestValF1,
    bestValAcc: s.bestValAcc,
    optimizerSteps: s.optimizer?.steps,
    paramStates: s.optimizer?.paramStates,
    problems: s.problems.map((p) => p.message),
    checkpoints: r.summaries.length,
  };
}
const afterSummary = { rss: process.memoryUsage().rss, maxRss: maxRss() };

const repairMs: number[] = [];
let repair: Record<string, unknown> = {};
for (let i = 0; i < runs; i++) {
  const file = await openFileSource(join(dir, 'training_state.pth'));
  try {
    const { source, stats } = countingSource(file);
    const t = performance.now();
    const torch = await loadTorchFile(source);
    const plan = await planMarkEpochComplete(source, torch, epoch);
    const verdict = await verifyRepair(source, torch, plan);
    repairMs.push(performance.now() - t);
    repair = { ok: verdict.ok, problems: verdict.problems, mode: plan.mode, newBytes: literalBytes(plan.segments), bytesRead: stats.bytesRead, reads: stats.reads, segments: plan.segments.length };
  } finally {
    await file.close();
  }
}
const afterRepair = { rss: process.memoryUsage().rss, maxRss: maxRss() };

console.log(JSON.stringify({ summaryMs, summary, bytesRead, reads, repairMs, repair, memory: { start, afterSummary, afterRepair } }));
