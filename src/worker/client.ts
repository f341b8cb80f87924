/**
 * Page-side handle on the parser worker: one module worker; analysis batches stream into a
 * callback, repairs are request/response promises.
 */
import type { BatchMessage, DroppedBlob, RepairOutcome, WorkerRequest, WorkerResponse } from './protocol';

/** Owns the worker. */
export class ParserClient {
  private readonly worker: Worker;
  private nextBatch = 1;
  private nextRequest = 1;
  private readonly repairs = new Map<number, { resolve: (o: RepairOutcome) => void; reject: (e: Error) => void }>();

  /** @param onBatchMessage receives plan / summary / done / failed messages of analysis batches */
  constructor(onBatchMessage: (m: BatchMessage) => void) {
    this.worker = new Worker(new URL('./parser.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (ev: MessageEvent<WorkerResponse>) => {
      const m = ev.data;
      if (m.type === 'repaired' || m.type === 'repair-failed') {
        const pending = this.repairs.get(m.request);
        this.repairs.delete(m.request);
        if (m.type === 'repaired') pending?.resolve(m.outcome);
        else pending?.reject(new Error(m.message));
      } else onBatchMessage(m);
    };
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

  /** Mark `epoch` complete in the dropped file at `path`; resolves with a verified repair. */
  repair(path: string, epoch: number): Promise<RepairOutcome> {
    const request = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.repairs.set(request, { resolve, reject });
      this.send({ type: 'repair', request, path, epoch });
    });
  }

  private send(m: WorkerRequest): void {
    this.worker.postMessage(m);
  }
}
