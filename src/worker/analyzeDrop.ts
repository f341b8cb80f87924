/**
 * The worker's job for one drop: the core pipeline (`core/pipeline/runPipeline.ts`) over the
 * dropped Blobs, its events forwarded as worker messages of `batch`. Kept free of worker globals
 * so it can be tested under Node.
 */
import { blobAccess } from '../core/pipeline/blobAccess';
import { runPipeline } from '../core/pipeline/runPipeline';
import type { PipelineEvent } from '../core/pipeline/types';
import type { CheckpointSummary } from '../core/conventions/summary';
import { SUMMARY_BATCH_MS, type DroppedBlob, type WorkerResponse } from './protocol';

/**
 * Turns pipeline events into worker messages of `batch`: summaries are gathered and posted together
 * once {@link SUMMARY_BATCH_MS} has passed since the first one held (and before any other message,
 * so the order plan, summaries, scalars, done is kept). Findings are not forwarded: the page
 * computes its own from the summaries (ui/useRunsReport.ts).
 */
export class MessageBatcher {
  private held: CheckpointSummary[] = [];
  private since = 0;
  /** Posts what is held once SUMMARY_BATCH_MS has passed, even when no further event comes (a slow file next). */
  private timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param pageHas the Blobs the page sent for this drop: the plan names them by path without
   *   posting them back (only files taken out of archives travel with it)
   */
  constructor(
    private readonly batch: number,
    private readonly emit: (m: WorkerResponse) => void,
    private readonly now: () => number = () => performance.now(),
    private readonly pageHas: ReadonlySet<Blob> = new Set(),
  ) {}

  /** Take one pipeline event. */
  take(e: PipelineEvent<Blob>): void {
    if (e.type === 'summary') {
      if (this.held.length === 0) {
        this.since = this.now();
        this.timer = setTimeout(() => this.flush(), SUMMARY_BATCH_MS);
      }
      this.held.push(e.summary);
      if (this.now() - this.since >= SUMMARY_BATCH_MS) this.flush();
      return;
    }
    if (e.type === 'findings') return;
    this.flush();
    const batch = this.batch;
    if (e.type === 'plan') {
      const files = e.files.map((f) => (this.pageHas.has(f.handle) ? { path: f.path, size: f.size } : { path: f.path, size: f.size, file: f.handle }));
      this.emit({ type: 'plan', batch, pending: e.pending, otherFolders: e.otherFolders, files });
    }
    else if (e.type === 'scalars') this.emit({ type: 'scalars', batch, path: e.path, scalars: e.scalars });
    else this.emit({ type: 'done', batch, elapsedMs: e.elapsedMs });
  }

  /** Post the summaries held, if any. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.held.length === 0) return;
    this.emit({ type: 'summaries', batch: this.batch, summaries: this.held });
    this.held = [];
  }
}

/**
 * Analyse `dropped`, calling `emit` with a plan (naming the dropped files by path; only files taken
 * out of archives travel with it), the summaries of the checkpoints (and of unreadable
 * archives) in batches, the scalars of each TensorBoard event file, and done.
 * @param isCancelled polled before each checkpoint and event file is started
 */
export async function analyzeDrop(batch: number, dropped: DroppedBlob[], emit: (m: WorkerResponse) => void, isCancelled: () => boolean = () => false): Promise<void> {
  const inputs = dropped.map((d) => ({ path: d.path, size: d.file.size, handle: d.file }));
  const batcher = new MessageBatcher(batch, emit, undefined, new Set(dropped.map((d) => d.file)));
  try {
    await runPipeline(inputs, blobAccess, (e) => batcher.take(e), { isCancelled, findings: false });
  } finally {
    batcher.flush();
  }
}
