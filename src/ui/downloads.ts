/**
 * Downloads: a Blob under a file name, and a repaired folder bundled as a .zip (JSZip, stored
 * entries) for folders that fit in memory.
 */
import JSZip from 'jszip';

/** Largest folder (bytes) bundled as a .zip: JSZip holds the whole archive in memory. */
export const FOLDER_ZIP_LIMIT = 512 * 1024 * 1024;

/** Offer `blob` as a download named `name`. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * A .zip of a checkpoint folder with `replace` swapped in (path -> new content) and `extra` files
 * added, all stored uncompressed under the folder's name.
 * @param files the folder's files: path relative to the drop -> content
 * @param folderPath the folder's path relative to the drop ('' for loose files)
 * @param renameTo the folder's name inside the zip when the repair renames it (HF `checkpoint-<new step>`)
 */
export async function zipFolder(files: ReadonlyMap<string, Blob>, folderPath: string, replace: ReadonlyMap<string, Blob>, extra: ReadonlyMap<string, Blob>, renameTo?: string): Promise<Blob> {
  const zip = new JSZip();
  const top = renameTo || folderPath.split('/').pop() || 'checkpoint';
  const inside = (p: string): string => (folderPath ? p.slice(folderPath.length + 1) : p);
  for (const [path, blob] of files) {
    if (folderPath && !path.startsWith(`${folderPath}/`)) continue;
    zip.file(`${top}/${inside(path)}`, replace.get(path) ?? blob, { binary: true });
  }
  for (const [path, blob] of extra) zip.file(`${top}/${inside(path)}`, blob, { binary: true });
  return zip.generateAsync({ type: 'blob', compression: 'STORE' });
}
