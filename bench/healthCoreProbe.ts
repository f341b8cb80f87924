/**
 * Health benchmark helper, run in a fresh Node process (`node --import tsx bench/healthCoreProbe.ts
 * health FILE` or `... diff A B`): what `ckptview health` / `ckptview diff` do (analysis of the
 * inputs as `inspect`, then the tensor files opened and scanned or compared), with every file read
 * counted: the analysis's reads (`analyzeInputs`) plus the scan's or diff's reads through
 * `countingSource`. Prints one JSON line: time, reads and bytes read per phase, peak RSS.
 */
import { analyzeInputs } from '../src/cli/analyzeInputs';
import { collectInputs } from '../src/cli/collectInputs';
import { countingSource, type ReadStats } from '../src/core/bytes/byteSource';
import { diffCheckpoints, type DiffInput } from '../src/core/diff/diffCheckpoints';
import { checkHealth, isTensorFile, type HealthInput } from '../src/core/health/checkHealth';
import { openFileSource, type NodeFileSource } from '../src/node/fileSource';

const opened: NodeFileSource[] = [];
const tensorReads: ReadStats[] = [];
let analysis: ReadStats = { reads: 0, bytesRead: 0 };

/** The first checkpoint in `path` with its tensor files opened and counted. */
async function open(path: string): Promise<DiffInput> {
  const inputs = collectInputs([path]);
  const r = await analyzeInputs(inputs);
  analysis = { reads: analysis.reads + r.reads.reads, bytesRead: analysis.bytesRead + r.reads.bytesRead };
  const summary = r.summaries[0];
  if (!summary) throw new Error(`${path}: no checkpoint`);
  const files: HealthInput[] = [];
  for (const f of summary.files.filter(isTensorFile)) {
    const src = await openFileSource(inputs.absolute.get(f.path) as string, f.path);
    opened.push(src);
    const c = countingSource(src);
    tensorReads.push(c.stats);
    files.push({ path: f.path, src: c.source });
  }
  return { summary, files };
}

const [mode, ...paths] = process.argv.slice(2);
const t = performance.now();
let result: Record<string, unknown>;
if (mode === 'health') {
  const c = await open(paths[0]);
  const r = await checkHealth(c.files, { checkpoint: c.summary.id });
  result = { tensorsRead: r.tensorsRead, tensorBytes: r.bytesRead };
} else if (mode === 'diff') {
  const a = await open(paths[0]);
  const b = await open(paths[1]);
  const d = await diffCheckpoints(a, b);
  result = { counts: d.counts, bytesHashed: d.bytesHashed, changed: d.tensors.filter((x) => x.status !== 'identical').map((x) => x.name) };
} else throw new Error(`unknown mode ${mode}`);
const ms = performance.now() - t;
for (const s of opened) await s.close();
const scan = { reads: tensorReads.reduce((n, s) => n + s.reads, 0), bytesRead: tensorReads.reduce((n, s) => n + s.bytesRead, 0) };
console.log(JSON.stringify({ mode, ms, analysis, scan, bytesRead: analysis.bytesRead + scan.bytesRead, reads: analysis.reads + scan.reads, ...result, maxRss: process.resourceUsage().maxRSS * 1024 }));
