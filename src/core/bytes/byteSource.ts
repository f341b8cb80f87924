/**
 * The one byte-reading abstraction every parser is built on: a size and an async read of a range.
 * Implementations exist over `Uint8Array` and `Blob`/`File` (here) and over a Node file handle
 * (`src/node/fileSource.ts`, kept out of the core so the browser bundle never imports `node:fs`).
 * Compare hyparquet's `AsyncBuffer`.
 */

/** Random-access, read-only bytes. */
export interface ByteSource {
  /** Display name (file name or path) used in error messages. */
  readonly name: string;
  /** Total size in bytes. */
  readonly size: number;
  /**
   * Read `length` bytes starting at byte `offset`. Reads past the end return the bytes that exist
   * (a shorter array); callers that need exact lengths check `result.length`.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A ByteSource over bytes already in memory. */
export function bytesSource(bytes: Uint8Array, name = 'bytes'): ByteSource {
  return {
    name,
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(clamp(offset, bytes.length), clamp(offset + length, bytes.length)),
  };
}

/**
 * A ByteSource over a `Blob` or `File` (browser, worker, Node 20). Each read slices the blob, so
 * only the requested range is ever loaded.
 */
export function blobSource(blob: Blob, name?: string): ByteSource {
  const fileName = name ?? ((blob as { name?: unknown }).name as string | undefined) ?? 'blob';
  return {
    name: fileName,
    size: blob.size,
    read: async (offset, length) => {
      const start = clamp(offset, blob.size);
      const end = clamp(offset + length, blob.size);
      // the whole blob needs no slice (a slice is a new Blob registered with the browser)
      return new Uint8Array(await (start === 0 && end === blob.size ? blob : blob.slice(start, end)).arrayBuffer());
    },
  };
}

/** Counts of what a {@link countingSource} was asked for. */
export interface ReadStats {
  /** Number of `read` calls. */
  reads: number;
  /** Total bytes returned, in bytes. */
  bytesRead: number;
}

/**
 * Wraps a source and counts reads and bytes returned: used by tests and the benchmark to prove that
 * metadata reads do not touch tensor bytes.
 */
export function countingSource(inner: ByteSource): { source: ByteSource; stats: ReadStats } {
  const stats: ReadStats = { reads: 0, bytesRead: 0 };
  return {
    stats,
    source: {
      name: inner.name,
      size: inner.size,
      read: async (offset, length) => {
        const out = await inner.read(offset, length);
        stats.reads += 1;
        stats.bytesRead += out.length;
        return out;
      },
    },
  };
}

function clamp(v: number, max: number): number {
  return v < 0 ? 0 : v > max ? max : v;
}
