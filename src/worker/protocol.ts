/**
 * Messages between the page and the parser worker. The page sends files; the worker answers with a
 * plan (so rows can appear at once), then one summary per checkpoint as each finishes.
 */
import type { CheckpointSummary } from '../core/conventions/summary';
import type { OtherFolder } from '../core/folder/plan';

/** A dropped file with its path relative to the drop. */
export interface DroppedBlob {
  readonly path: string;
  readonly file: Blob;
}

/** Page -> worker. */
export type WorkerRequest =
  | { readonly type: 'analyze'; readonly batch: number; readonly files: DroppedBlob[] }
  | { readonly type: 'cancel'; readonly batch: number };

/** A checkpoint announced before it is parsed. */
export interface PendingCheckpoint {
  readonly id: string;
  readonly name: string;
  readonly path: string;
}

/** Worker -> page. */
export type WorkerResponse =
  | { readonly type: 'plan'; readonly batch: number; readonly pending: PendingCheckpoint[]; readonly otherFolders: OtherFolder[] }
  | { readonly type: 'summary'; readonly batch: number; readonly summary: CheckpointSummary }
  | { readonly type: 'done'; readonly batch: number; readonly elapsedMs: number }
  | { readonly type: 'failed'; readonly batch: number; readonly message: string };
