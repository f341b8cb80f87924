/**
 * Page-side handle on the parser worker: one module worker, requests numbered by batch.
 */
import type { DroppedBlob, WorkerRequest, WorkerResponse } from './protocol';

/** Owns the worker; `onMessage` receives every response. */
export class ParserClient {
  private readonly worker: Worker;
  private nextBatch = 1;

  constructor(onMessage: (m: WorkerResponse) => void) {
    this.worker = new Worker(new URL('./parser.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (ev: MessageEvent<WorkerResponse>) => onMessage(ev.data);
  }

  /** Send files for analysis; returns the batch number. */
  analyze(files: DroppedBlob[]): number {
    const batch = this.nextBatch++;
    this.send({ type: 'analyze', batch, files });
    return batch;
  }

  /** Stop analysing a batch after the checkpoint in progress. */
  cancel(batch: number): void {
    this.send({ type: 'cancel', batch });
  }

  private send(m: WorkerRequest): void {
    this.worker.postMessage(m);
  }
}
