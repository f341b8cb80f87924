/**
 * The worker's job for one drop: the core pipeline (`core/pipeline/runPipeline.ts`) over the
 * dropped Blobs, its events forwarded as worker messages of `batch`. Kept free of worker globals
 * so it can be tested under Node.
 */
import { blobAccess } from '../core/pipeline/blobAccess';
import { runPipeline } from '../core/pipeline/runPipeline';
import type { PipelineEvent } from '../core/pipeline/types';
import type { DroppedBlob, WorkerResponse } from './protocol';

/** The worker message for a pipeline event; undefined for events the page does not take (findings). */
export function toMessage(batch: number, e: PipelineEvent<Blob>): WorkerResponse | undefined {
  switch (e.type) {
    case 'plan':
      return { type: 'plan', batch, pending: e.pending, otherFolders: e.otherFolders, files: e.files.map((f) => ({ path: f.path, file: f.handle })) };
    case 'summary':
      return { type: 'summary', batch, summary: e.summary };
    case 'scalars':
      return { type: 'scalars', batch, path: e.path, scalars: e.scalars };
    case 'done':
      return { type: 'done', batch, elapsedMs: e.elapsedMs };
    case 'findings':
      return undefined; // the page computes its findings from the summaries (ui/FindingsPanel.tsx)
  }
}

/**
 * Analyse `dropped`, calling `emit` with a plan, one summary per checkpoint (and per unreadable
 * archive), the scalars of each TensorBoard event file, and done.
 * @param isCancelled polled between checkpoints and between event files
 */
export async function analyzeDrop(batch: number, dropped: DroppedBlob[], emit: (m: WorkerResponse) => void, isCancelled: () => boolean = () => false): Promise<void> {
  const inputs = dropped.map((d) => ({ path: d.path, size: d.file.size, handle: d.file }));
  await runPipeline(
    inputs,
    blobAccess,
    (e) => {
      const m = toMessage(batch, e);
      if (m) emit(m);
    },
    { isCancelled, findings: false },
  );
}
