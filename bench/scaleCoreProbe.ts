/**
 * Scale benchmark helper, run in a fresh Node process (`node --import tsx bench/scaleCoreProbe.ts
 * DIR RUNS`): the CLI core (`analyzeInputs`, the pipeline the page's worker runs) on a folder of
 * many checkpoints; time per run (run 1 includes JIT warm-up), reads and bytes read, peak RSS.
 * Prints one JSON line.
 */
import { analyzeInputs } from '../src/cli/analyzeInputs';
import { collectInputs } from '../src/cli/collectInputs';

const [dir, runsText] = process.argv.slice(2);
const runs = Number(runsText ?? 3);
const ms: number[] = [];
let out = { checkpoints: 0, files: 0, reads: 0, bytesRead: 0, notRead: 0, findings: 0 };
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  const inputs = collectInputs([dir]);
  const r = await analyzeInputs(inputs);
  ms.push(performance.now() - t);
  out = { checkpoints: r.summaries.length, files: r.files.length, reads: r.reads.reads, bytesRead: r.reads.bytesRead, notRead: r.summaries.filter((s) => s.problems.length > 0).length, findings: r.findings.length };
}
console.log(JSON.stringify({ ms, ...out, maxRss: process.resourceUsage().maxRSS * 1024 }));
