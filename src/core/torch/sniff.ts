/**
 * Recognise what a file is from its first bytes, so that a wrong file gets a message naming what it
 * actually is (an HTML error page saved by a failed Google Drive download, a Git LFS pointer...).
 */
import { CheckpointFormatError } from '../errors';
import { looksLikeZip } from '../zip/zipReader';
import { OPCODE_NAMES } from '../pickle/opcodes';

/** What the first bytes say a file is. */
export type SniffedKind = 'zip' | 'pickle' | 'empty' | 'html' | 'lfs-pointer' | 'json' | 'safetensors' | 'unknown';

/** Guess the kind of a file from its first bytes (up to 512) and its size in bytes. */
export function sniff(head: Uint8Array, size: number): SniffedKind {
  if (size === 0) return 'empty';
  if (looksLikeZip(head)) return 'zip';
  const text = asciiPrefix(head);
  if (text.startsWith('version https://git-lfs')) return 'lfs-pointer';
  const lower = text.trimStart().toLowerCase();
  if (lower.startsWith('<!doctype html') || lower.startsWith('<html') || (lower.startsWith('<') && lower.includes('<html'))) return 'html';
  if (lower.startsWith('{') || lower.startsWith('[')) return 'json';
  if (head[0] === 0x80 && head.length >= 2 && head[1] <= 0x0f) return 'pickle';
  if (head.length >= 9 && head[8] === 0x7b && head[4] === 0 && head[5] === 0 && head[6] === 0 && head[7] === 0) return 'safetensors';
  // torch.load unpickles any file that is not a zip (or tar): a pickle may start with any opcode
  // (a string, FRAME, an empty tuple, GLOBAL...), not only PROTO (PyTorch torch/serialization.py
  // `_legacy_load` calls pickle_module.load(f) on the first byte)
  if (OPCODE_NAMES.has(head[0])) return 'pickle';
  return 'unknown';
}

/**
 * Throw the clear error for kinds that cannot be a torch.save file.
 * @throws CheckpointFormatError always, for `empty`, `html`, `lfs-pointer`, `json`, `unknown`.
 */
export function rejectNonCheckpoint(kind: SniffedKind, file: string): never {
  switch (kind) {
    case 'empty':
      throw new CheckpointFormatError('empty-file', file, 'the file is empty (0 bytes): the save was interrupted or the copy failed before any data was written.');
    case 'html':
      throw new CheckpointFormatError('html-page', file, 'this is an HTML page, not a checkpoint: probably a failed download (e.g. a Google Drive "virus scan" or quota page saved under the checkpoint name). Download the file again.');
    case 'lfs-pointer':
      throw new CheckpointFormatError('lfs-pointer', file, 'this is a Git LFS pointer file, not the checkpoint itself: run `git lfs pull` to fetch the real file.');
    case 'json':
      throw new CheckpointFormatError('not-a-checkpoint', file, 'this is a JSON text file, not a torch.save checkpoint.');
    default:
      throw new CheckpointFormatError('not-a-checkpoint', file, 'this is not a PyTorch checkpoint: it is neither a torch.save zip archive nor a pickle (wrong magic bytes).');
  }
}

function asciiPrefix(head: Uint8Array): string {
  let s = '';
  for (let i = 0; i < Math.min(head.length, 512); i++) s += String.fromCharCode(head[i]);
  return s;
}

/**
 * Throw the clear error when the first bytes of a file that should hold data (JSON, safetensors)
 * say it is a Git LFS pointer or an HTML page (a failed download) instead.
 * @throws CheckpointFormatError (`lfs-pointer`, `html-page`)
 */
export function rejectPlaceholder(head: Uint8Array, size: number, file: string): void {
  const kind = sniff(head, size);
  if (kind === 'lfs-pointer' || kind === 'html') rejectNonCheckpoint(kind, file);
}
