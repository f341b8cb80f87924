/// <reference lib="webworker" />
/**
 * The parser worker: owns all parsing so the page never freezes while files are read.
 */
import { analyzeDrop } from './analyzeDrop';
import type { DroppedBlob, WorkerRequest, WorkerResponse } from './protocol';
import { repairFile } from './repairFile';
import { TreeService } from './treeService';
import { TensorJobs } from './tensorJobs';
import { describeError } from './describeError';

const cancelled = new Set<number>();
/** Files of drops still arriving in parts ('add-files'), by batch. */
const arriving = new Map<number, DroppedBlob[]>();
/** Every dropped file by path, kept for repairs. */
const files = new Map<string, Blob>();
const trees = new TreeService(files);
const post = (m: WorkerResponse): void => (self as unknown as DedicatedWorkerGlobalScope).postMessage(m);
const tensorJobs = new TensorJobs(files, post);

self.onmessage = (ev: MessageEvent<WorkerRequest>) => {
  const msg = ev.data;
  if (msg.type === 'cancel') {
    cancelled.add(msg.batch);
    return;
  }
  if (msg.type === 'register') {
    for (const f of msg.files) files.set(f.path, f.file);
    return;
  }
  if (msg.type === 'add-files') {
    const list = arriving.get(msg.batch) ?? [];
    for (const f of msg.files) {
      list.push(f);
      files.set(f.path, f.file);
    }
    arriving.set(msg.batch, list);
    return;
  }
  if (msg.type === 'analyze') {
    const dropped = arriving.get(msg.batch) ?? [];
    arriving.delete(msg.batch);
    // archives are expanded by analyzeDrop; the plan message carries the files taken out of them
    const postAndKeep = (m: WorkerResponse): void => {
      if (m.type === 'plan') for (const f of m.files) if (f.file) files.set(f.path, f.file);
      post(m);
    };
    analyzeDrop(msg.batch, dropped, postAndKeep, () => cancelled.has(msg.batch)).catch((e: unknown) =>
      post({ type: 'failed', batch: msg.batch, message: e instanceof Error ? e.message : String(e) }),
    );
  }
  if (msg.type === 'repair') {
    const file = files.get(msg.path);
    if (!file) {
      post({ type: 'repair-failed', request: msg.request, message: `${msg.path} is no longer loaded: drop it again.` });
      return;
    }
    repairFile(msg.path, file, msg.epoch, msg.read).then(
      (outcome) => post({ type: 'repaired', request: msg.request, outcome }),
      (e: unknown) => post({ type: 'repair-failed', request: msg.request, message: describeError(e) }),
    );
  }
  if (msg.type === 'tree-children') {
    trees.children(msg.path, msg.node, msg.offset, msg.limit).then(
      (r) => post({ type: 'tree-children', request: msg.request, ...r }),
      (e: unknown) => post({ type: 'tree-failed', request: msg.request, message: describeError(e) }),
    );
  }
  if (msg.type === 'verify-crcs') tensorJobs.crcs(msg);
  if (msg.type === 'health') tensorJobs.health(msg);
  if (msg.type === 'diff') tensorJobs.diff(msg);
  if (msg.type === 'stop-job') tensorJobs.stop(msg.job);
  if (msg.type === 'tree-search') {
    trees.search(msg.path, msg.query).then(
      (r) => post({ type: 'tree-search', request: msg.request, ...r }),
      (e: unknown) => post({ type: 'tree-failed', request: msg.request, message: describeError(e) }),
    );
  }
};
