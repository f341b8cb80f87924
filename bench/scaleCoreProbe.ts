/**
 * Scale benchmark helper, run in a fresh Node process (`node --import tsx bench/scaleCoreProbe.ts
 * DIR RUNS`): the CLI core (`analyzeInputs`, the pipeline the page's worker runs) on a folder of
 * many checkpoints; time per run (run 1 includes JIT warm-up), reads and bytes read, peak RSS.
 * Then the page's way once, untimed: the same pipeline over the files as Blobs (`fs.openAsBlob`)
 * through `blobAccess`, as the worker reads them (small files in joined reads), with its reads
 * counted: single reads, joined reads and the files in them.
 * Prints one JSON line.
 */
import { openAsBlob } from 'node:fs';
import { analyzeInputs } from '../src/cli/analyzeInputs';
import { collectInputs } from '../src/cli/collectInputs';
import { blobAccess } from '../src/core/pipeline/blobAccess';
import { runPipeline } from '../src/core/pipeline/runPipeline';
import type { FileAccess } from '../src/core/pipeline/types';
import { wrapSources } from '../src/core/pipeline/wrapSources';

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

/** The page's reads: every read of a single file, and every joined read with the files it joins. */
const page = { singleReads: 0, joinedReads: 0, joinedFiles: 0, checkpoints: 0 };
const inputs = collectInputs([dir]);
const blobs = await Promise.all(inputs.files.map(async (f) => ({ path: f.path, size: f.size, handle: (await openAsBlob(inputs.absolute.get(f.path) as string)) as Blob })));
const counted: FileAccess<Blob> = {
  ...wrapSources(blobAccess, (s) => ({ name: s.name, size: s.size, read: (o, l) => (page.singleReads++, s.read(o, l)) })),
  readWholeMany: (handles) => {
    page.joinedReads++;
    page.joinedFiles += handles.length;
    return blobAccess.readWholeMany!(handles);
  },
};
page.checkpoints = (await runPipeline(blobs, counted, undefined, { findings: false })).summaries.length;
console.log(JSON.stringify({ ms, ...out, page, maxRss: process.resourceUsage().maxRSS * 1024 }));
