/**
 * {@link FileAccess} over files on disk for the command line. A folder may hold hundreds of files
 * and the core opens sources synchronously, so each source opens its file handle on its first read;
 * a session closes every handle it opened. Files taken out of a zipped folder are windows of the
 * archive on disk (stored entries) or bytes in memory (inflated entries).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { bytesSource } from '../core/bytes/byteSource';
import type { FileAccess, SourceSession } from '../core/pipeline/types';
import { readRange } from '../node/fileSource';

/** Where a file's bytes are: `[offset, offset + size)` of the file at absolute path `abs`, or in memory. */
export type DiskHandle =
  | { readonly kind: 'file'; readonly abs: string; readonly offset: number; readonly size: number }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array };

/** A handle on the whole file `abs` of `size` bytes. */
export function diskFile(abs: string, size: number): DiskHandle {
  return { kind: 'file', abs, offset: 0, size };
}

function session(): SourceSession<DiskHandle> {
  const handles = new Map<string, Promise<FileHandle>>();
  const handleOf = (abs: string): Promise<FileHandle> => {
    let h = handles.get(abs);
    if (!h) handles.set(abs, (h = open(abs, 'r')));
    return h;
  };
  return {
    open(handle, name) {
      if (handle.kind === 'bytes') return bytesSource(handle.bytes, name);
      const { abs, offset, size } = handle;
      return {
        name,
        size,
        async read(at, length) {
          const start = Math.max(0, Math.min(at, size));
          const n = Math.max(0, Math.min(length, size - start));
          return readRange(await handleOf(abs), offset + size, offset + start, n);
        },
      };
    },
    async close() {
      const all = [...handles.values()];
      handles.clear();
      await Promise.all(all.map((h) => h.then((x) => x.close(), () => undefined)));
    },
  };
}

/** Disk access for the pipeline (counting reads: `wrapSources` in core/pipeline/wrapSources.ts). */
export function diskAccess(): FileAccess<DiskHandle> {
  return {
    session,
    window: (h, offset, size) => (h.kind === 'file' ? { ...h, offset: h.offset + offset, size } : { kind: 'bytes', bytes: h.bytes.subarray(offset, offset + size) }),
    fromBytes: (bytes) => ({ kind: 'bytes', bytes }),
  };
}
