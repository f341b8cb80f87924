/**
 * Turn what the user gave the page (a drop, a folder picker, a file picker) into files with paths
 * relative to the drop. Folders in a drop are walked recursively through `webkitGetAsEntry`.
 */
import type { DroppedBlob } from '../worker/protocol';

/** Files from an `<input type=file>` (with `webkitdirectory`, `webkitRelativePath` holds the folder path). */
export function filesFromInput(list: FileList | null): DroppedBlob[] {
  if (!list) return [];
  return [...list].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = (): void =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry: FileSystemEntry, prefix: string, out: DroppedBlob[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    out.push({ path, file: await entryFile(entry as FileSystemFileEntry) });
  } else if (entry.isDirectory) {
    const children = await readAllEntries((entry as FileSystemDirectoryEntry).createReader());
    for (const c of children) await walk(c, path, out);
  }
}

/** Files of a drop, walking dropped folders. Falls back to `dataTransfer.files` when entries are unavailable. */
export async function filesFromDrop(dt: DataTransfer): Promise<DroppedBlob[]> {
  const entries = [...dt.items].map((i) => (typeof i.webkitGetAsEntry === 'function' ? i.webkitGetAsEntry() : null));
  if (entries.length > 0 && entries.every((e) => e !== null)) {
    const out: DroppedBlob[] = [];
    for (const e of entries) await walk(e as FileSystemEntry, '', out);
    return out;
  }
  return filesFromInput(dt.files);
}
