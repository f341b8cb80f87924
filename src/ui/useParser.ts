/**
 * The page's single parser worker, wired to the store.
 */
import { useCheckpoints } from '../store/checkpointStore';
import { ParserClient } from '../worker/client';
import type { DroppedBlob, RepairOutcome } from '../worker/protocol';

let client: ParserClient | undefined;

function getClient(): ParserClient {
  client ??= new ParserClient((m) => useCheckpoints.getState().receive(m));
  return client;
}

/** Send dropped files to the worker (no-op for an empty list). */
export function submitFiles(files: DroppedBlob[]): void {
  if (files.length === 0) return;
  const batch = getClient().analyze(files);
  useCheckpoints.getState().addFiles(files, batch);
}

/** Stop reading: end the worker (even inside one huge file) and mark unread checkpoints as stopped. */
export function stopReading(): void {
  const st = useCheckpoints.getState();
  getClient().restart([...st.files].map(([path, file]) => ({ path, file })));
  st.stopPending();
}

/** The worker client, for the value-tree view. */
export function parserClient(): ParserClient {
  return getClient();
}

/** Ask the worker to mark `epoch` complete in the training state at `path`. */
export function requestRepair(path: string, epoch: number): Promise<RepairOutcome> {
  return getClient().repair(path, epoch);
}
