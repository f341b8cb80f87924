/**
 * File sources for a whole drop: the core's `FileOpener` is synchronous and a folder may hold
 * hundreds of files, so each source opens its file handle on the first read and the pool closes
 * them all when a checkpoint is done.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { ByteSource } from '../core/bytes/byteSource';
import { readRange } from '../node/fileSource';

/** Opens sources by drop path and closes the handles they opened. */
export interface SourcePool {
  /** A source for `path` (named `path` in error messages), `size` bytes long. */
  open(path: string): ByteSource;
  /** Close every handle opened so far. */
  closeAll(): Promise<void>;
}

/**
 * A pool over files on disk.
 * @param absolute absolute path of every drop path
 * @param sizes size in bytes of every drop path (from the directory walk)
 * @param wrap optional wrapper around each source (the benchmark counts bytes read with it)
 */
export function filePool(absolute: ReadonlyMap<string, string>, sizes: ReadonlyMap<string, number>, wrap: (s: ByteSource) => ByteSource = (s) => s): SourcePool {
  const handles: Promise<FileHandle>[] = [];
  const sources = new Map<string, ByteSource>();
  return {
    open(path) {
      const existing = sources.get(path);
      if (existing) return existing;
      const abs = absolute.get(path);
      if (abs === undefined) throw new Error(`${path}: not part of the input`);
      const size = sizes.get(path) ?? 0;
      let handle: Promise<FileHandle> | undefined;
      const source: ByteSource = {
        name: path,
        size,
        async read(offset, length) {
          if (!handle) {
            handle = open(abs, 'r');
            handles.push(handle);
          }
          return readRange(await handle, size, offset, length);
        },
      };
      const wrapped = wrap(source);
      sources.set(path, wrapped);
      return wrapped;
    },
    async closeAll() {
      const all = handles.splice(0);
      sources.clear();
      await Promise.all(all.map((h) => h.then((x) => x.close(), () => undefined)));
    },
  };
}
