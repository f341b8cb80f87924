/**
 * A drop, from the `drop` event to the worker: dropped folders are listed (the page shows how many
 * files it has found, and Stop ends the listing), entries that could not be opened are shown with
 * why, and the files found go to the worker.
 */
import { useCheckpoints } from '../store/checkpointStore';
import { filesFromDrop } from './collectFiles';
import { describeOpenError } from './walkFolders';
import { submitFiles } from './useParser';

/** Milliseconds between updates of the "files found" count while folders are listed. */
const COUNT_EVERY_MS = 250;

/** Walks in progress, with the files each has found so far. */
const walks = new Map<AbortController, number>();
/** Walks ended by "Clear all": they end without a word. */
const cancelled = new Set<AbortController>();

function showCount(): void {
  useCheckpoints.getState().setListing(walks.size ? [...walks.values()].reduce((a, b) => a + b, 0) : undefined);
}

/** Open what a `drop` event carries; call it in the event (the browser empties the DataTransfer after). */
export function openDrop(dt: DataTransfer): void {
  const walk = new AbortController();
  walks.set(walk, 0);
  showCount();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onFound = (files: number): void => {
    walks.set(walk, files);
    timer ??= setTimeout(() => {
      timer = undefined;
      if (walks.has(walk)) showCount();
    }, COUNT_EVERY_MS);
  };
  const st = useCheckpoints.getState();
  const finish = (): void => {
    if (timer) clearTimeout(timer);
    walks.delete(walk);
    showCount();
  };
  filesFromDrop(dt, onFound, walk.signal).then(
    ({ files, problems, stopped }) => {
      finish();
      if (cancelled.delete(walk)) return;
      st.addOpenProblems(problems);
      if (stopped) st.setNotice(`Stopped while opening what was dropped (${files.length.toLocaleString('en-US')} files found): nothing was read. Drop it again to read it.`);
      else if (files.length === 0 && problems.length === 0) st.setNotice('The drop held no files: drop a checkpoint folder, or .pth / .pt / .bin / .ckpt / .safetensors files.');
      else submitFiles(files);
    },
    (err: unknown) => {
      finish();
      if (cancelled.delete(walk)) return;
      st.setNotice(`What was dropped could not be opened: ${describeOpenError(err)}`);
    },
  );
}

/** Stop listing dropped folders: nothing found so far is read (the page says so). */
export function stopOpening(): void {
  for (const walk of walks.keys()) walk.abort();
}

/** End every listing without a word ("Clear all"): nothing found is read or reported. */
export function cancelOpening(): void {
  for (const walk of walks.keys()) {
    cancelled.add(walk);
    walk.abort();
  }
}
