/**
 * The one analysis pipeline, used by the parser worker (page) and by `ckptview inspect` (Node):
 * expand zipped folders, sniff the files whose names do not tell, plan the checkpoints, analyse
 * each (reading only the bytes it needs), read TensorBoard event files, then the findings across
 * checkpoints. Everything is reported through `emit` as soon as it is known, and collected in the
 * returned result. Pure TypeScript: the bytes are reached through a {@link FileAccess}.
 */
import { analyzeCheckpoint } from '../analyze/analyzeCheckpoint';
import { bytesSource } from '../bytes/byteSource';
import { expandArchives } from '../archive/expandArchives';
import type { CheckpointSummary } from '../conventions/summary';
import { CheckpointFormatError } from '../errors';
import { runFindings } from '../findings/runFindings';
import type { Finding } from '../findings/types';
import { baseName, planDrop } from '../folder/plan';
import { sniffDrop } from '../folder/sniffDrop';
import { readEventFile } from '../tensorboard/eventFile';
import { SmallFileBatches } from './smallFileBatches';
import type { FileAccess, InputFile, PipelineEvent, PipelineOptions, PipelineResult } from './types';

/**
 * Checkpoints analysed at once when {@link PipelineOptions.concurrency} is not given. A 4 KiB Blob
 * read in a Chromium worker took 1.17 ms one at a time and 0.87-0.91 ms with 4 to 32 in flight
 * (`npx tsx bench/blobReads.ts <folder>`, BENCHMARKS.md "Scale"); more lanes only hold more files open.
 */
export const DEFAULT_CONCURRENCY = 8;

/** True for a TensorBoard event file name (`events.out.tfevents.<time>.<host>...`). */
export function isEventFile(path: string): boolean {
  return baseName(path).startsWith('events.out.tfevents.');
}

/**
 * Run the pipeline over `inputs`.
 * @param access opens the handles of `inputs` (and makes handles for files inside zips)
 * @param emit called with each event in order: plan, summaries, scalars, findings, done
 * @returns what the events carried. Never rejects for a bad file (its problems are in its summary,
 *   or in the event file's `problems`); rejects only for a bug or a failing `access`.
 */
export async function runPipeline<H>(
  inputs: readonly InputFile<H>[],
  access: FileAccess<H>,
  emit: (e: PipelineEvent<H>) => void = () => undefined,
  options: PipelineOptions = {},
): Promise<PipelineResult<H>> {
  const started = performance.now();
  const isCancelled = options.isCancelled ?? (() => false);
  const { files, problems } = await expandArchives(inputs, access);
  const byPath = new Map(files.map((f) => [f.path, f.handle]));
  const sizes = new Map(files.map((f) => [f.path, f.size]));
  const listed = files.map((f) => ({ path: f.path, size: f.size }));

  const sniffing = access.session();
  const plan = await sniffDrop(listed, (p) => sniffing.open(byPath.get(p) as H, p))
    .then((sniffed) => planDrop(listed, sniffed))
    .finally(() => sniffing.close());
  const otherFolders = plan.otherFolders;
  emit({ type: 'plan', pending: [...problems, ...plan.checkpoints].map((c) => ({ id: c.id, name: c.name, path: c.path })), otherFolders, files });

  const summaries: CheckpointSummary[] = [...problems];
  for (const summary of problems) emit({ type: 'summary', summary });
  // several checkpoints are read at once: a read's cost is mostly waiting (a Blob read in a
  // browser worker, a file read in Node), so overlapping them keeps the CPU busy (issue 15).
  // Summaries are emitted as each finishes and collected in plan order.
  const byIndex: (CheckpointSummary | undefined)[] = new Array(plan.checkpoints.length);
  // where files can be joined into one read (Blobs), the small files of several checkpoints are
  // read at once, ahead of their checkpoints (smallFileBatches.ts)
  const readWholeMany = access.readWholeMany?.bind(access);
  const inDrop = (p: string) => (byPath.has(p) ? { handle: byPath.get(p) as H, size: sizes.get(p) ?? 0 } : undefined);
  const small = readWholeMany ? new SmallFileBatches(plan.checkpoints, inDrop, readWholeMany) : undefined;
  let next = 0;
  let cancelled = false;
  const worker = async (): Promise<void> => {
    while (next < plan.checkpoints.length) {
      if ((cancelled ||= isCancelled())) return;
      const i = next++;
      const c = plan.checkpoints[i];
      const session = access.session();
      let summary: CheckpointSummary;
      try {
        const read = small ? await small.take(i) : undefined;
        summary = await analyzeCheckpoint(c, (p) => {
          const bytes = read?.get(p);
          return bytes ? bytesSource(bytes, p) : session.open(byPath.get(p) as H, p);
        }, sizes);
      } finally {
        small?.release(i);
        await session.close();
      }
      byIndex[i] = summary;
      emit({ type: 'summary', summary });
    }
  };
  const lanes = Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, plan.checkpoints.length));
  await Promise.all(Array.from({ length: lanes }, worker));
  for (const s of byIndex) if (s) summaries.push(s);

  const scalars: PipelineResult<H>['scalars'][number][] = [];
  for (const f of cancelled ? [] : files) {
    if (!isEventFile(f.path)) continue;
    if ((cancelled = isCancelled())) break;
    const session = access.session();
    let item: PipelineResult<H>['scalars'][number];
    try {
      item = { path: f.path, scalars: await readEventFile(session.open(f.handle, f.path)) };
    } catch (e) {
      const message = e instanceof CheckpointFormatError ? e.message : e instanceof Error ? e.message : String(e);
      item = { path: f.path, scalars: { series: {}, records: 0, problems: [message] } };
    } finally {
      await session.close();
    }
    scalars.push(item);
    emit({ type: 'scalars', ...item });
  }

  let findings: Finding[] = [];
  if (!cancelled && options.findings !== false) {
    findings = runFindings({ summaries, otherFolders, files: listed, currentBatchesPerEpoch: options.currentBatchesPerEpoch });
    emit({ type: 'findings', findings });
  }
  emit({ type: 'done', elapsedMs: performance.now() - started, cancelled });
  return { summaries, otherFolders, files, scalars, findings, cancelled };
}
