/**
 * The page's single parser worker, wired to the store.
 */
import { asBackground } from '../store/backgroundUpdates';
import { refreshDerivedNow } from './derivedWhileReading';
import { useCheckpoints } from '../store/checkpointStore';
import { ParserClient } from '../worker/client';
import type { BatchMessage, DroppedBlob, RepairOutcome } from '../worker/protocol';
import { dedupePaths } from './dedupePaths';
import type { EpochAndStep } from '../core/conventions/summary';

let client: ParserClient | undefined;
/**
 * Worker messages not yet applied: applied together after {@link flushDelay}, so 1,000 checkpoints
 * are tens of renders, not 1,000.
 */
let queue: BatchMessage[] = [];
let flushTimer: ReturnType<typeof setTimeout> | undefined;

function flush(): void {
  flushTimer = undefined;
  const ms = queue;
  queue = [];
  // the worker's results: the views render them in a transition (bindStore), never blocking input
  asBackground(() => useCheckpoints.getState().receiveMany(ms));
}

/**
 * Milliseconds between renders while a drop streams in: 100 ms for a few rows, growing with the
 * rows loaded (each render's work grows with them) up to 1 s, so rendering stays a small share of
 * the main thread (issue 15).
 */
export function flushDelay(rows: number): number {
  return Math.min(1000, 100 + Math.round(rows / 2));
}

function getClient(): ParserClient {
  client ??= new ParserClient((m) => {
    queue.push(m);
    // the plan (rows appear) and the end of a drop are shown at once
    if (m.type === 'plan' || m.type === 'done' || m.type === 'failed') {
      if (flushTimer) clearTimeout(flushTimer);
      flush();
      return;
    }
    flushTimer ??= setTimeout(flush, flushDelay(useCheckpoints.getState().order.length));
  });
  return client;
}

/** Send dropped files to the worker (no-op for an empty list). */
export function submitFiles(dropped: DroppedBlob[]): void {
  if (dropped.length === 0) return;
  const files = dedupePaths(dropped, useCheckpoints.getState().files);
  const batch = getClient().analyze(files);
  useCheckpoints.getState().addFiles(files, batch);
}

/** Stop reading: end the worker (even inside one huge file) and mark unread checkpoints as stopped. */
export function stopReading(): void {
  if (flushTimer) clearTimeout(flushTimer);
  flush();
  const st = useCheckpoints.getState();
  getClient().restart([...st.files].map(([path, file]) => ({ path, file })));
  st.stopPending();
  // the rows say "not read" in this task, not after the next refresh
  refreshDerivedNow();
}

/** The worker client, for the value-tree view. */
export function parserClient(): ParserClient {
  return getClient();
}

/** Ask the worker to mark `epoch` complete in the training state at `path` (which held `read` when analysed). */
export function requestRepair(path: string, epoch: number, read?: EpochAndStep): Promise<RepairOutcome> {
  return getClient().repair(path, epoch, read);
}
