/**
 * The worker's job for one drop: plan checkpoints from paths, then analyse each and report it as
 * soon as it is done. Kept free of worker globals so it can be tested under Node.
 */
import { blobSource } from '../core/bytes/byteSource';
import { analyzeCheckpoint } from '../core/analyze/analyzeCheckpoint';
import { baseName, planDrop } from '../core/folder/plan';
import { sniffDrop } from '../core/folder/sniffDrop';
import { readEventFile } from '../core/tensorboard/eventFile';
import { CheckpointFormatError } from '../core/errors';
import type { DroppedBlob, WorkerResponse } from './protocol';
import { expandArchives } from './expandArchives';

/**
 * Analyse `files`, calling `emit` with a plan, one summary per checkpoint, and done.
 * @param isCancelled polled between checkpoints
 */
export async function analyzeDrop(batch: number, dropped: DroppedBlob[], emit: (m: WorkerResponse) => void, isCancelled: () => boolean = () => false): Promise<void> {
  const started = performance.now();
  const { files, problems } = await expandArchives(dropped);
  const byPath = new Map(files.map((f) => [f.path, f.file]));
  const sizes = new Map(files.map((f) => [f.path, f.file.size]));
  const listed = files.map((f) => ({ path: f.path, size: f.file.size }));
  const plan = planDrop(listed, await sniffDrop(listed, (p) => blobSource(byPath.get(p) as Blob, p)));
  emit({ type: 'plan', batch, pending: [...problems, ...plan.checkpoints].map((c) => ({ id: c.id, name: c.name, path: c.path })), otherFolders: plan.otherFolders, files: files.map((f) => ({ path: f.path, file: f.file })) });
  for (const summary of problems) emit({ type: 'summary', batch, summary });
  for (const c of plan.checkpoints) {
    if (isCancelled()) break;
    const summary = await analyzeCheckpoint(c, (p) => blobSource(byPath.get(p) as Blob, p), sizes);
    emit({ type: 'summary', batch, summary });
  }
  for (const f of files) {
    if (isCancelled()) break;
    if (!baseName(f.path).startsWith('events.out.tfevents.')) continue;
    try {
      emit({ type: 'scalars', batch, path: f.path, scalars: await readEventFile(blobSource(f.file, f.path)) });
    } catch (e) {
      const message = e instanceof CheckpointFormatError ? e.message : (e as Error).message;
      emit({ type: 'scalars', batch, path: f.path, scalars: { series: {}, records: 0, problems: [message] } });
    }
  }
  emit({ type: 'done', batch, elapsedMs: performance.now() - started });
}
