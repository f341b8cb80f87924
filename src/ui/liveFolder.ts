/**
 * A live folder (Chromium's File System Access API): "Open folder" keeps a directory handle, so
 * "Reload" reads the folder again and auto-refresh follows a running training job. Nothing is
 * written through the handle; it is opened read-only.
 */
import type { DroppedBlob } from '../worker/protocol';
import { handleNode, walkFolders, type Collected } from './walkFolders';

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

/** Every file under a directory handle, with paths starting at the folder's own name, and what could not be opened. */
export function readFolder(dir: FileSystemDirectoryHandle): Promise<Collected> {
  return walkFolders([handleNode(dir)]);
}

/** A fingerprint of a folder's files (paths, sizes, modification times): changes when training saves. */
export function folderSignature(files: readonly DroppedBlob[]): string {
  return files
    .map((f) => `${f.path}:${f.file.size}:${(f.file as File).lastModified ?? 0}`)
    .sort()
    .join('|');
}
