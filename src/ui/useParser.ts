/**
 * The page's single parser worker, wired to the store. `submit` sends files and records them.
 */
import { useCheckpoints } from '../store/checkpointStore';
import { ParserClient } from '../worker/client';
import type { DroppedBlob } from '../worker/protocol';

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
