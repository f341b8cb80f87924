/// <reference lib="webworker" />
/**
 * The parser worker: owns all parsing so the page never freezes while files are read.
 */
import { analyzeDrop } from './analyzeDrop';
import type { WorkerRequest, WorkerResponse } from './protocol';

const cancelled = new Set<number>();
const post = (m: WorkerResponse): void => (self as unknown as DedicatedWorkerGlobalScope).postMessage(m);

self.onmessage = (ev: MessageEvent<WorkerRequest>) => {
  const msg = ev.data;
  if (msg.type === 'cancel') {
    cancelled.add(msg.batch);
    return;
  }
  if (msg.type === 'analyze') {
    analyzeDrop(msg.batch, msg.files, post, () => cancelled.has(msg.batch)).catch((e: unknown) =>
      post({ type: 'failed', batch: msg.batch, message: e instanceof Error ? e.message : String(e) }),
    );
  }
};
