/**
 * The worker's jobs that read tensor bytes: a health scan of one checkpoint's files, a diff of two
 * checkpoints and the CRC-32 check of every byte of a torch zip, each with progress messages and
 * stoppable by request number.
 */
import { blobSource } from '../core/bytes/byteSource';
import { diffCheckpoints } from '../core/diff/diffCheckpoints';
import { checkHealth, type HealthInput } from '../core/health/checkHealth';
import { verifyCrcs } from '../core/zip/verifyCrcs';
import { readZipIndex } from '../core/zip/zipReader';
import type { WorkerRequest, WorkerResponse } from './protocol';
import { describeError } from './describeError';

type HealthRequest = Extract<WorkerRequest, { type: 'health' }>;
type DiffRequest = Extract<WorkerRequest, { type: 'diff' }>;
type CrcRequest = Extract<WorkerRequest, { type: 'verify-crcs' }>;

/** Runs tensor jobs over the dropped files. */
export class TensorJobs {
  private readonly running = new Map<number, AbortController>();

  constructor(
    private readonly files: ReadonlyMap<string, Blob>,
    private readonly post: (m: WorkerResponse) => void,
  ) {}

  private inputs(paths: readonly string[]): HealthInput[] {
    return paths.map((p) => {
      const f = this.files.get(p);
      if (!f) throw new Error(`${p} is no longer loaded: drop it again.`);
      return { path: p, src: blobSource(f, p) };
    });
  }

  /** Progress is posted at most every 100 ms. */
  private progress(request: number): (done: number, total: number) => void {
    let last = 0;
    return (done, total) => {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      this.post({ type: 'job-progress', request, done, total });
    };
  }

  /** Stop a running job (it answers with what it has). */
  stop(request: number): void {
    this.running.get(request)?.abort();
  }

  /** Scan the tensors of one checkpoint. */
  health(msg: HealthRequest): void {
    const ctl = new AbortController();
    this.running.set(msg.request, ctl);
    Promise.resolve()
      .then(() => checkHealth(this.inputs(msg.paths), { checkpoint: msg.checkpoint, signal: ctl.signal, onProgress: this.progress(msg.request) }))
      .then(
        (report) => this.post({ type: 'health', request: msg.request, report }),
        (e: unknown) => this.post({ type: 'tree-failed', request: msg.request, message: e instanceof Error ? e.message : String(e) }),
      )
      .finally(() => this.running.delete(msg.request));
  }

  /** Compare two checkpoints. */
  diff(msg: DiffRequest): void {
    const ctl = new AbortController();
    this.running.set(msg.request, ctl);
    Promise.resolve()
      .then(() =>
        diffCheckpoints(
          { summary: msg.a.summary, files: this.inputs(msg.a.paths) },
          { summary: msg.b.summary, files: this.inputs(msg.b.paths) },
          { signal: ctl.signal, onProgress: this.progress(msg.request) },
        ),
      )
      .then(
        (diff) => this.post({ type: 'diff', request: msg.request, diff }),
        (e: unknown) => this.post({ type: 'tree-failed', request: msg.request, message: e instanceof Error ? e.message : String(e) }),
      )
      .finally(() => this.running.delete(msg.request));
  }

  /** Check the CRC-32 of every stored entry of the torch zip at `msg.path` (reads the whole file). */
  crcs(msg: CrcRequest): void {
    const ctl = new AbortController();
    this.running.set(msg.request, ctl);
    Promise.resolve()
      .then(async () => {
        const src = this.inputs([msg.path])[0].src;
        return verifyCrcs(src, await readZipIndex(src), { signal: ctl.signal, onProgress: this.progress(msg.request) });
      })
      .then(
        (report) => this.post({ type: 'crcs', request: msg.request, report }),
        (e: unknown) => this.post({ type: 'tree-failed', request: msg.request, message: describeError(e) }),
      )
      .finally(() => this.running.delete(msg.request));
  }
}
