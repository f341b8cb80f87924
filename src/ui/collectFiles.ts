/**
 * Turn what the user gave the page (a drop, a folder picker, a file picker) into files with paths
 * relative to the drop. Dropped folders are walked by {@link walkFolders}: through File System
 * Access handles where the browser has them (Chromium), else through `webkitGetAsEntry` entries.
 */
import type { DroppedBlob } from '../worker/protocol';
import { byPath, entryNode, handleNode, walkFolders, type Collected, type FolderNode } from './walkFolders';

/** Files from an `<input type=file>` (with `webkitdirectory`, `webkitRelativePath` holds the folder path). */
export function filesFromInput(list: FileList | null): DroppedBlob[] {
  if (!list) return [];
  return [...list].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

/** `DataTransferItem.getAsFileSystemHandle` (Chromium 86+, secure contexts only; not in TypeScript's DOM types). */
type HandleItem = DataTransferItem & { getAsFileSystemHandle?: () => Promise<FileSystemHandle | null> };

/**
 * Files of a drop, walking dropped folders. Must be called in the `drop` event: the items are
 * taken before its first `await` (the browser empties a DataTransfer once the event ends). Falls
 * back to `dataTransfer.files` when neither handles nor entries are available.
 * @param onFound files found so far, while folders are walked
 * @param signal stops the walk (the result then says `stopped`)
 */
export async function filesFromDrop(dt: DataTransfer, onFound?: (files: number) => void, signal?: AbortSignal): Promise<Collected> {
  const items = [...dt.items].filter((i) => i.kind === 'file') as HandleItem[];
  // taken now: after the first await the DataTransfer is empty
  const plain = filesFromInput(dt.files);
  let roots: (FolderNode | null)[];
  if (items.length > 0 && items.every((i) => typeof i.getAsFileSystemHandle === 'function')) {
    const pending = items.map((i) => (i.getAsFileSystemHandle as () => Promise<FileSystemHandle | null>).call(i));
    const entries = items.map((i) => (typeof i.webkitGetAsEntry === 'function' ? i.webkitGetAsEntry() : null));
    const handles = await Promise.all(pending.map((p) => p.catch(() => null)));
    // a handle the browser refused (null) falls back to the item's entry
    roots = handles.map((h, k) => (h ? handleNode(h) : entries[k] ? entryNode(entries[k] as FileSystemEntry) : null));
  } else {
    roots = items.map((i) => (typeof i.webkitGetAsEntry === 'function' ? i.webkitGetAsEntry() : null)).map((e) => (e ? entryNode(e) : null));
  }
  if (roots.length === 0 || roots.some((r) => r === null)) return { files: plain, problems: [], stopped: false };
  const walked = await walkFolders(roots as FolderNode[], onFound, signal);
  // a dropped file its handle or entry cannot open (in Chromium, a symbolic link to a file) is
  // read as the plain File the drop carries for it
  const rescued = new Map<string, DroppedBlob>();
  for (const p of walked.problems) {
    const root = (roots as FolderNode[]).find((r) => r.name === p.path && r.kind === 'file');
    const file = root && plain.find((d) => d.path === p.path);
    // only when it reads (a link to nothing is a 0-byte File here: still a problem)
    if (file && file.file.size > 0 && (await file.file.slice(0, 1).arrayBuffer().then((b) => b.byteLength === 1, () => false))) rescued.set(p.path, file);
  }
  if (rescued.size === 0) return walked;
  return {
    files: [...walked.files, ...rescued.values()].sort(byPath),
    problems: walked.problems.filter((p) => !rescued.has(p.path)),
    stopped: walked.stopped,
  };
}
