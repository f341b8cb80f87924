/**
 * A {@link ByteSource} over a Node file handle (CLI, tests, benchmark). Kept outside `src/core` so
 * the browser bundle never imports `node:fs`.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ByteSource } from '../core/bytes/byteSource';

/**
 * Read `[offset, offset + length)` of an open file of `size` bytes, clamped to the file, looping
 * until the range is read or the file ends (a shorter array then).
 */
export async function readRange(handle: FileHandle, size: number, offset: number, length: number): Promise<Uint8Array> {
  const start = Math.max(0, Math.min(offset, size));
  const n = Math.max(0, Math.min(length, size - start));
  const buf = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const { bytesRead } = await handle.read(buf, got, n - got, start + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === n ? buf : buf.subarray(0, got);
}

/** An open file as a ByteSource; call `close()` when done. */
export interface NodeFileSource extends ByteSource {
  close(): Promise<void>;
}

/**
 * Open `path` for random-access reads.
 * @param name display name for errors (default: the base name of `path`)
 * @throws the `fs` error when the file cannot be opened
 */
export async function openFileSource(path: string, name = basename(path)): Promise<NodeFileSource> {
  const handle: FileHandle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    name,
    size,
    read: (offset, length) => readRange(handle, size, offset, length),
    close: () => handle.close(),
  };
}
