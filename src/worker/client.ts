/**
 * Page-side handle on the parser worker: one module worker; analysis batches stream into a
 * callback, repairs are request/response promises.
 */
import type { SearchHit, TreeNode } from '../core/tree/valueTree';
import type { CrcReport } from '../core/zip/verifyCrcs';
import type { CheckpointSummary, EpochAndStep } from '../core/conventions/summary';
import type { CheckpointDiff } from '../core/diff/types';
import type { HealthReport } from '../core/health/types';
import { yieldToPage } from './yieldToPage';
import { FILES_PER_MESSAGE, type BatchMessage, type DroppedBlob, type RepairOutcome, type WorkerRequest, type WorkerResponse } from './protocol';

type Pending = { resolve: (v: never) => void; reject: (e: Error) => void };
/** A request without its number: one of the request/response kinds. */
type CallBody =
  | Omit<Extract<WorkerRequest, { type: 'repair' }>, 'request'>
  | Omit<Extract<WorkerRequest, { type: 'tree-children' }>, 'request'>
  | Omit<Extract<WorkerRequest, { type: 'tree-search' }>, 'request'>
  | Omit<Extract<WorkerRequest, { type: 'verify-crcs' }>, 'request'>
  | Omit<Extract<WorkerRequest, { type: 'health' }>, 'request'>
  | Omit<Extract<WorkerRequest, { type: 'diff' }>, 'request'>;

/** A running health scan or diff: its result, and how to stop it. */
export interface TensorJob<R> {
  readonly result: Promise<R>;
  /** Stop reading; `result` resolves with what was read (marked incomplete). */
  stop(): void;
}

/** Milliseconds between a restart and giving the new worker the files already loaded. */
const REGISTER_DELAY_MS = 300;

/** Owns the worker. */
export class ParserClient {
  private worker: Worker;
  private nextBatch = 1;
  private nextRequest = 1;
  private readonly pending = new Map<number, Pending>();
  /** Progress callbacks of running tensor jobs, by request. */
  private readonly progress = new Map<number, (done: number, total: number) => void>();

  /** @param onBatchMessage receives plan / summary / done / failed messages of analysis batches */
  constructor(private readonly onBatchMessage: (m: BatchMessage) => void) {
    this.worker = this.start();
  }

  private start(): Worker {
    const worker = new Worker(new URL('./parser.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (ev: MessageEvent<WorkerResponse>) => {
      const m = ev.data;
      if ('batch' in m) {
        this.onBatchMessage(m);
        return;
      }
      if (m.type === 'job-progress') {
        this.progress.get(m.request)?.(m.done, m.total);
        return;
      }
      this.progress.delete(m.request);
      const p = this.pending.get(m.request);
      this.pending.delete(m.request);
      if (!p) return;
      if (m.type === 'repair-failed' || m.type === 'tree-failed') p.reject(new Error(m.message));
      else if (m.type === 'repaired') p.resolve(m.outcome as never);
      else if (m.type === 'tree-children') p.resolve({ nodes: m.nodes, total: m.total } as never);
      else if (m.type === 'tree-search') p.resolve({ hits: m.hits, complete: m.complete } as never);
      else if (m.type === 'crcs') p.resolve(m.report as never);
      else if (m.type === 'health') p.resolve(m.report as never);
      else if (m.type === 'diff') p.resolve(m.diff as never);
    };
    return worker;
  }

  /**
   * Stop everything the worker is doing, even a parse stuck in one huge file: the worker is ended
   * and a new one started, given `files` again after {@link REGISTER_DELAY_MS} (posting thousands
   * of Files costs the page ~0.25 ms each: the page first shows that reading stopped). Pending
   * repairs and tree requests are rejected.
   */
  restart(files: DroppedBlob[]): void {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new Error('reading was stopped'));
    this.pending.clear();
    this.worker = this.start();
    const worker = this.worker;
    setTimeout(() => {
      if (this.worker === worker) void this.sendInParts(files, (part) => ({ type: 'register', files: part }));
    }, REGISTER_DELAY_MS);
  }

  /** Send files for analysis; returns the batch number. The files go in parts, one task each. */
  analyze(files: DroppedBlob[]): number {
    const batch = this.nextBatch++;
    const worker = this.worker;
    void this.sendInParts(files, (part) => ({ type: 'add-files', batch, files: part })).then(() => {
      if (this.worker === worker) this.send({ type: 'analyze', batch });
    });
    return batch;
  }

  /**
   * Post `files` in parts of {@link FILES_PER_MESSAGE}, yielding to the page between parts so no
   * task grows with the size of the drop. Stops if the worker is restarted meanwhile.
   */
  private async sendInParts(files: DroppedBlob[], message: (part: DroppedBlob[]) => WorkerRequest): Promise<void> {
    const worker = this.worker;
    for (let i = 0; i < files.length; i += FILES_PER_MESSAGE) {
      if (i > 0) await yieldToPage();
      if (this.worker !== worker) return;
      this.send(message(files.slice(i, i + FILES_PER_MESSAGE)));
    }
  }

  /** Stop analysing a batch after the checkpoint in progress. */
  cancel(batch: number): void {
    this.send({ type: 'cancel', batch });
  }

  /**
   * Mark `epoch` complete in the dropped file at `path`; resolves with a verified repair.
   * @param read the file's epoch and step when it was analysed: refused if it no longer holds them
   */
  repair(path: string, epoch: number, read?: EpochAndStep): Promise<RepairOutcome> {
    return this.call({ type: 'repair', path, epoch, read });
  }

  /** A page of children of a node of a torch file's value tree. */
  treeChildren(path: string, node: number[], offset = 0, limit = 500): Promise<{ nodes: TreeNode[]; total: number }> {
    return this.call({ type: 'tree-children', path, node, offset, limit });
  }

  /** Check every CRC-32 of a dropped torch zip (reads the whole file, in the worker), with progress; stoppable. */
  verifyCrcs(path: string, onProgress: (done: number, total: number) => void): TensorJob<CrcReport> {
    return this.job({ type: 'verify-crcs', path }, onProgress);
  }

  /** Read every tensor of a checkpoint's tensor files (in the worker), with progress; stoppable. */
  checkHealth(checkpoint: string, paths: string[], onProgress: (done: number, total: number) => void): TensorJob<HealthReport> {
    return this.job({ type: 'health', checkpoint, paths }, onProgress);
  }

  /** Compare two checkpoints (summaries plus their tensor files), with progress; stoppable. */
  diff(a: { summary: CheckpointSummary; paths: string[] }, b: { summary: CheckpointSummary; paths: string[] }, onProgress: (done: number, total: number) => void): TensorJob<CheckpointDiff> {
    return this.job({ type: 'diff', a, b }, onProgress);
  }

  private job<R>(body: CallBody, onProgress: (done: number, total: number) => void): TensorJob<R> {
    const request = this.nextRequest;
    this.progress.set(request, onProgress);
    return { result: this.call<R>(body), stop: () => this.send({ type: 'stop-job', job: request }) };
  }

  /** Search a torch file's value tree. */
  treeSearch(path: string, query: string): Promise<{ hits: SearchHit[]; complete: boolean }> {
    return this.call({ type: 'tree-search', path, query });
  }

  private call<R>(body: CallBody): Promise<R> {
    const request = this.nextRequest++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(request, { resolve: resolve as (v: never) => void, reject });
      this.send({ ...body, request });
    });
  }

  private send(m: WorkerRequest): void {
    this.worker.postMessage(m);
  }
}
