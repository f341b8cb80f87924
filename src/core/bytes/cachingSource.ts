/**
 * A caching, coalescing layer over a {@link ByteSource}: every parser above it (zip reader, torch
 * container, scalar reads, safetensors header) asks for the small ranges it needs, and this layer
 * turns them into few reads of the underlying file. In Chromium each `Blob` read costs about 2 ms
 * whatever its size, so the number of reads, not the bytes, sets the time of a large drop.
 *
 * - A file of at most `wholeFileBytes` is read whole, once.
 * - A larger file is read in aligned blocks of `blockBytes`; the blocks a request misses are
 *   fetched in one read per contiguous run, and kept (at most `maxBlocks`, least recently used
 *   dropped first). A request larger than `bypassBytes` (tensor data streamed by the CRC check) goes
 *   straight to the file and is not kept.
 */
import type { ByteSource } from './byteSource';

/** Files up to this size (bytes) are read whole by default: 256 KiB. */
export const WHOLE_FILE_BYTES = 256 * 1024;

/** Tuning of {@link cachingSource}. Units: bytes. */
export interface CachingOptions {
  /** Files up to this size are read whole on the first request (default {@link WHOLE_FILE_BYTES}). */
  readonly wholeFileBytes?: number;
  /** Block size for larger files (default 4 KiB: a scalar storage costs one block). */
  readonly blockBytes?: number;
  /**
   * The first request at offset 0 of a larger file reads this much (default 32 KiB): the sniff of
   * the magic bytes and a torch zip's `data.pkl`, its first entry, in one read.
   */
  readonly headBytes?: number;
  /** Blocks kept per file (default 512: 2 MiB with the default block size). */
  readonly maxBlocks?: number;
  /** Requests larger than this bypass the cache (default 1 MiB). */
  readonly bypassBytes?: number;
}

/**
 * Wrap `inner` in a cache. The returned source answers exactly as `inner` would (the same bytes,
 * shorter at the end of the file); errors of `inner` reach the caller and nothing is cached for them.
 */
export function cachingSource(inner: ByteSource, options: CachingOptions = {}): ByteSource {
  const wholeFileBytes = options.wholeFileBytes ?? WHOLE_FILE_BYTES;
  const blockBytes = options.blockBytes ?? 4 * 1024;
  const headBytes = options.headBytes ?? 32 * 1024;
  const maxBlocks = options.maxBlocks ?? 512;
  const bypassBytes = options.bypassBytes ?? 1024 * 1024;
  const size = inner.size;

  if (size <= wholeFileBytes) {
    let whole: Promise<Uint8Array> | undefined;
    return {
      name: inner.name,
      size,
      read: async (offset, length) => {
        whole ??= inner.read(0, size).catch((e: unknown) => {
          whole = undefined;
          throw e;
        });
        const bytes = await whole;
        const start = Math.max(0, Math.min(offset, bytes.length));
        return bytes.subarray(start, Math.max(start, Math.min(offset + length, bytes.length)));
      },
    };
  }

  // block index -> bytes (Map keeps insertion order: re-inserting on use makes it an LRU)
  const blocks = new Map<number, Uint8Array>();
  const keep = (i: number, b: Uint8Array): void => {
    blocks.delete(i);
    blocks.set(i, b);
    while (blocks.size > maxBlocks) blocks.delete(blocks.keys().next().value as number);
  };
  const fetchRun = async (first: number, last: number): Promise<void> => {
    const start = first * blockBytes;
    const bytes = await inner.read(start, Math.min(size, (last + 1) * blockBytes) - start);
    for (let i = first; i <= last; i++) {
      const from = (i - first) * blockBytes;
      if (from >= bytes.length) break;
      keep(i, bytes.subarray(from, Math.min(bytes.length, from + blockBytes)));
    }
  };
  return {
    name: inner.name,
    size,
    read: async (offset, length) => {
      const start = Math.max(0, Math.min(offset, size));
      const end = Math.max(start, Math.min(offset + length, size));
      if (end === start) return new Uint8Array(0);
      if (end - start > bypassBytes) return inner.read(start, end - start);
      const first = Math.floor(start / blockBytes);
      const last = Math.floor((end - 1) / blockBytes);
      // the first look at the head of the file takes the whole head (magic bytes and data.pkl together)
      const fetchLast = start === 0 && blocks.size === 0 ? Math.max(last, Math.floor((Math.min(size, headBytes) - 1) / blockBytes)) : last;
      // one read per contiguous run of missing blocks
      let runStart = -1;
      for (let i = first; i <= fetchLast + 1; i++) {
        const missing = i <= fetchLast && !blocks.has(i);
        if (missing && runStart < 0) runStart = i;
        if (!missing && runStart >= 0) {
          await fetchRun(runStart, i - 1);
          runStart = -1;
        }
      }
      const out = new Uint8Array(end - start);
      for (let i = first; i <= last; i++) {
        const b = blocks.get(i);
        if (!b) return inner.read(start, end - start); // evicted meanwhile by a concurrent read: read directly
        keep(i, b);
        const blockStart = i * blockBytes;
        const from = Math.max(start, blockStart);
        const to = Math.min(end, blockStart + b.length);
        if (to > from) out.set(b.subarray(from - blockStart, to - blockStart), from - start);
      }
      return out;
    },
  };
}
