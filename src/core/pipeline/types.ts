/**
 * The vocabulary of the one analysis pipeline shared by the parser worker and the command line:
 * input files behind an opaque handle (a `Blob` in the browser, a file on disk in Node), the way
 * to open them as {@link ByteSource}s, and the events the pipeline emits as it goes.
 */
import type { ByteSource } from '../bytes/byteSource';
import type { CheckpointSummary } from '../conventions/summary';
import type { Finding } from '../findings/types';
import type { OtherFolder } from '../folder/plan';
import type { EventFileScalars } from '../tensorboard/eventFile';

/** One input file: its path relative to the drop (forward slashes), size in bytes, and a handle. */
export interface InputFile<H> {
  readonly path: string;
  readonly size: number;
  readonly handle: H;
}

/** Sources opened together and released together (Node closes its file handles in `close`). */
export interface SourceSession<H> {
  /** A source over `handle`, named `name` in error messages. Never throws; reads may. */
  open(handle: H, name: string): ByteSource;
  /** Release everything opened through this session. Never rejects. */
  close(): Promise<void>;
}

/** How the pipeline reaches the bytes behind a handle, and makes handles for files inside zips. */
export interface FileAccess<H> {
  /** Start a session; the pipeline closes each one it opens. */
  session(): SourceSession<H>;
  /** A handle on bytes `[offset, offset + size)` of `handle` (a stored entry of a zip). */
  window(handle: H, offset: number, size: number): H;
  /** A handle on bytes held in memory (an inflated entry of a zip). */
  fromBytes(bytes: Uint8Array): H;
  /**
   * Where the platform can join files into one read (Blobs in a browser): the whole bytes of each
   * of `handles`, in order, read at once. The pipeline then reads the small files of several
   * checkpoints in one read (`smallFileBatches.ts`). Rejects when any file cannot be read; the
   * pipeline then reads those files one by one. Absent where a read costs little (files on disk).
   */
  readWholeMany?(handles: readonly H[]): Promise<Uint8Array[]>;
}

/** A checkpoint announced before it is analysed (same shape as the worker protocol's). */
export interface PendingItem {
  readonly id: string;
  readonly name: string;
  readonly path: string;
}

/**
 * What the pipeline reports, in this order: plan, summaries (in the order the checkpoints finish,
 * which is not always plan order), scalars, findings (when asked), done.
 */
export type PipelineEvent<H> =
  /** `files`: the files analysed, with those taken out of zipped folders in place of the archives. */
  | { readonly type: 'plan'; readonly pending: PendingItem[]; readonly otherFolders: OtherFolder[]; readonly files: InputFile<H>[] }
  | { readonly type: 'summary'; readonly summary: CheckpointSummary }
  /** Scalars of one TensorBoard event file (`problems` holds the reason when it could not be read). */
  | { readonly type: 'scalars'; readonly path: string; readonly scalars: EventFileScalars }
  | { readonly type: 'findings'; readonly findings: Finding[] }
  /** `elapsedMs`: milliseconds from the start of the pipeline. */
  | { readonly type: 'done'; readonly elapsedMs: number; readonly cancelled: boolean };

/** Everything one run of the pipeline produced (what the events carried, collected). */
export interface PipelineResult<H> {
  /** Unreadable archives first, then one summary per planned checkpoint, in plan order. */
  readonly summaries: CheckpointSummary[];
  readonly otherFolders: OtherFolder[];
  /** The files analysed (zipped folders expanded). */
  readonly files: InputFile<H>[];
  /** TensorBoard event files, in drop order. */
  readonly scalars: { readonly path: string; readonly scalars: EventFileScalars }[];
  /** Findings across checkpoints; empty when not asked for or when cancelled. */
  readonly findings: Finding[];
  /** True when `isCancelled` stopped the run before the end. */
  readonly cancelled: boolean;
}

/** Options of the pipeline. */
export interface PipelineOptions {
  /** Polled between checkpoints and between event files; true stops the run (no findings). */
  readonly isCancelled?: () => boolean;
  /** Run the findings across checkpoints at the end (the CLI does; the page runs its own). Default true. */
  readonly findings?: boolean;
  /** Batches per epoch of the current dataset, for the dataset-size finding. */
  readonly currentBatchesPerEpoch?: number;
  /** Checkpoints analysed at once (default `DEFAULT_CONCURRENCY` in runPipeline.ts); 1 reads them one by one. */
  readonly concurrency?: number;
}
