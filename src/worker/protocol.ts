/**
 * Messages between the page and the parser worker. The page sends files; the worker answers with a
 * plan (so rows can appear at once), then the summaries of the checkpoints as they finish, gathered
 * into one message per {@link SUMMARY_BATCH_MS}.
 */
import type { CheckpointSummary, EpochAndStep } from '../core/conventions/summary';
import type { OtherFolder } from '../core/folder/plan';
import type { RepairChange } from '../core/repair/markEpochComplete';
import type { EventFileScalars } from '../core/tensorboard/eventFile';
import type { SearchHit, TreeNode } from '../core/tree/valueTree';
import type { CrcReport } from '../core/zip/verifyCrcs';
import type { HealthReport } from '../core/health/types';
import type { CheckpointDiff } from '../core/diff/types';

/** A dropped file with its path relative to the drop. */
export interface DroppedBlob {
  readonly path: string;
  readonly file: Blob;
}

/** An entry of a drop the page could not open (so never sent to the worker): its path and why, in words. */
export interface OpenProblem {
  /** Path relative to the drop, as the file's {@link DroppedBlob.path} would have been. */
  readonly path: string;
  readonly message: string;
}

/**
 * A file of a drop as the worker analysed it (the plan): its path, its size in bytes, and the file
 * itself only when the page does not already hold it, i.e. a file taken out of a dropped .zip.
 * Posting a File costs the receiving page too: 6,800 of them in one plan message blocked the page
 * for about 300 ms (issue 15).
 */
export interface PlannedFile {
  readonly path: string;
  readonly size: number;
  /** Only for files the page did not send (taken out of an archive). */
  readonly file?: Blob;
}

/**
 * Files per message from the page: passing a File to a worker costs the page about 0.2 ms (Chromium
 * 156, measured with `npm run bench -- --scale`), so 6,800 files in one message blocked the page for
 * 1.5 s; in parts, each message is a short task (issue 15): 32 files, about 8 ms, and under
 * 50 ms on a loaded machine where 64 were not.
 */
export const FILES_PER_MESSAGE = 32;

/** Page -> worker. */
export type WorkerRequest =
  /** Part of the files of a drop (sent in parts of {@link FILES_PER_MESSAGE}), analysed at 'analyze'. */
  | { readonly type: 'add-files'; readonly batch: number; readonly files: DroppedBlob[] }
  /** Analyse the files sent for `batch` by 'add-files'. */
  | { readonly type: 'analyze'; readonly batch: number }
  | { readonly type: 'cancel'; readonly batch: number }
  /** Files of earlier drops, given to a restarted worker so repairs and the tree still work. */
  | { readonly type: 'register'; readonly files: DroppedBlob[] }
  /** Mark `epoch` complete in the training state file at `path` (a path of an earlier drop). */
  | { readonly type: 'repair'; readonly request: number; readonly path: string; readonly epoch: number; readonly read?: EpochAndStep }
  /** A page of the children of the value at `node` (child indices) in the torch file at `path`. */
  | { readonly type: 'tree-children'; readonly request: number; readonly path: string; readonly node: number[]; readonly offset: number; readonly limit: number }
  /** Check every CRC-32 of the torch zip at `path` (reads the whole file; progress, stoppable). */
  | { readonly type: 'verify-crcs'; readonly request: number; readonly path: string }
  /** Search the value tree of the torch file at `path`. */
  | { readonly type: 'tree-search'; readonly request: number; readonly path: string; readonly query: string }
  /** Read every tensor of a checkpoint's tensor files at `paths` (health scan; reads the tensor bytes). */
  | { readonly type: 'health'; readonly request: number; readonly checkpoint: string; readonly paths: string[] }
  /** Compare two checkpoints (their summaries and tensor files). */
  | { readonly type: 'diff'; readonly request: number; readonly a: { readonly summary: CheckpointSummary; readonly paths: string[] }; readonly b: { readonly summary: CheckpointSummary; readonly paths: string[] } }
  /** Stop a running health scan, diff or CRC check: it answers with what it has read. */
  | { readonly type: 'stop-job'; readonly job: number };

/** A verified repair, ready to download. */
export interface RepairOutcome {
  /** The repaired file: slices of the dropped File plus the patched bytes (no copy of tensor data). */
  readonly blob: Blob;
  readonly path: string;
  readonly changes: RepairChange[];
  readonly mode: 'in-place' | 'resized';
  readonly resumeAfter: string;
  readonly epoch: number;
  /** What the verifier checked. */
  readonly checks: string[];
  /** Bytes of new data the repair holds in memory. */
  readonly patchedBytes: number;
}

/** A checkpoint announced before it is parsed. */
export interface PendingCheckpoint {
  readonly id: string;
  readonly name: string;
  readonly path: string;
}

/**
 * Milliseconds the worker gathers summaries before posting them together: the page renders once
 * per message, so a drop of 1,000 checkpoints is tens of renders, not 1,000 (issue 15).
 */
export const SUMMARY_BATCH_MS = 100;

/** Worker -> page. */
export type WorkerResponse =
  /** `files`: what was analysed, with the files taken out of dropped .zip archives in place of the archives. */
  | { readonly type: 'plan'; readonly batch: number; readonly pending: PendingCheckpoint[]; readonly otherFolders: OtherFolder[]; readonly files: PlannedFile[] }
  /** Summaries of checkpoints read since the last such message (sent at most every {@link SUMMARY_BATCH_MS}). */
  | { readonly type: 'summaries'; readonly batch: number; readonly summaries: CheckpointSummary[] }
  /** Scalars of a TensorBoard event file found in the drop. */
  | { readonly type: 'scalars'; readonly batch: number; readonly path: string; readonly scalars: EventFileScalars }
  | { readonly type: 'done'; readonly batch: number; readonly elapsedMs: number }
  | { readonly type: 'failed'; readonly batch: number; readonly message: string }
  | { readonly type: 'repaired'; readonly request: number; readonly outcome: RepairOutcome }
  | { readonly type: 'repair-failed'; readonly request: number; readonly message: string }
  | { readonly type: 'tree-children'; readonly request: number; readonly nodes: TreeNode[]; readonly total: number }
  | { readonly type: 'tree-search'; readonly request: number; readonly hits: SearchHit[]; readonly complete: boolean }
  | { readonly type: 'tree-failed'; readonly request: number; readonly message: string }
  | { readonly type: 'crcs'; readonly request: number; readonly report: CrcReport }
  /** Progress of a health scan or diff: bytes done of bytes to read. */
  | { readonly type: 'job-progress'; readonly request: number; readonly done: number; readonly total: number }
  | { readonly type: 'health'; readonly request: number; readonly report: HealthReport }
  | { readonly type: 'diff'; readonly request: number; readonly diff: CheckpointDiff };

/** The responses that belong to an analysis batch. */
export type BatchMessage = Extract<WorkerResponse, { batch: number }>;
