/**
 * A live folder (Chromium's File System Access API): "Open folder" keeps a directory handle, so
 * "Reload" reads the folder again and auto-refresh follows a running training job. Nothing is
 * written through the handle; it is opened read-only.
 */
import type { DroppedBlob } from '../worker/protocol';

interface DirectoryPickerWindow {
  showDirectoryPicker(options?: { mode?: 'read' | 'readwrite'; id?: string }): Promise<FileSystemDirectoryHandle>;
}

/** True where the browser offers `showDirectoryPicker` (Chromium-based browsers). */
export function canOpenLiveFolder(): boolean {
  return typeof (window as unknown as Partial<DirectoryPickerWindow>).showDirectoryPicker === 'function';
}

/** Ask the user for a folder (read-only). Rejects when the user cancels. */
export function pickFolder(): Promise<FileSystemDirectoryHandle> {
  return (window as unknown as DirectoryPickerWindow).showDirectoryPicker({ mode: 'read', id: 'ckptview' });
}

/** Every file under a directory handle, with paths starting at the folder's own name. */
export async function readFolder(dir: FileSystemDirectoryHandle, prefix = dir.name): Promise<DroppedBlob[]> {
  const out: DroppedBlob[] = [];
  for await (const entry of dir.values()) {
    const path = `${prefix}/${entry.name}`;
    if (entry.kind === 'file') out.push({ path, file: await (entry as FileSystemFileHandle).getFile() });
    else out.push(...(await readFolder(entry as FileSystemDirectoryHandle, path)));
  }
  return out;
}

/** A fingerprint of a folder's files (paths, sizes, modification times): changes when training saves. */
export function folderSignature(files: readonly DroppedBlob[]): string {
  return files
    .map((f) => `${f.path}:${f.file.size}:${(f.file as File).lastModified ?? 0}`)
    .sort()
    .join('|');
}
