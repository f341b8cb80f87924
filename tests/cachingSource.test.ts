/** The caching byte-source layer answers exactly as the file does, in fewer reads. */
import { describe, expect, test } from 'vitest';
import { bytesSource, countingSource } from '../src/core/bytes/byteSource';
import { cachingSource } from '../src/core/bytes/cachingSource';

/** Deterministic pseudo-random bytes and requests (xorshift32). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('cachingSource', () => {
  const size = 1_000_003; // not a multiple of the block size
  const rand = rng(7);
  const data = new Uint8Array(size).map(() => Math.floor(rand() * 256));

  test('2,000 random reads (past the end included) return the same bytes as the file', async () => {
    const plain = bytesSource(data, 'f');
    const cached = cachingSource(bytesSource(data, 'f'), { blockBytes: 4096, maxBlocks: 8 });
    const r = rng(11);
    let differing = 0;
    for (let i = 0; i < 2000; i++) {
      const offset = Math.floor(r() * (size + 5000)) - 100;
      const length = Math.floor(r() * (r() < 0.1 ? 3_000_000 : 20_000));
      const a = await cached.read(offset, length);
      const b = await plain.read(offset, length);
      if (Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) !== 0) differing++;
    }
    expect(differing).toBe(0);
  });

  test('a small file is read once, whole', async () => {
    const { source, stats } = countingSource(bytesSource(data.subarray(0, 100_000), 'small'));
    const cached = cachingSource(source);
    await cached.read(99_000, 1000);
    await cached.read(0, 30);
    await cached.read(50_000, 10);
    expect(stats).toEqual({ reads: 1, bytesRead: 100_000 });
  });

  test('a large file: neighbouring small reads share one block read; a run of missing blocks is one read', async () => {
    const { source, stats } = countingSource(bytesSource(data, 'large'));
    const cached = cachingSource(source, { blockBytes: 32 * 1024 });
    await cached.read(size - 22, 22); // end record
    await cached.read(size - 5000, 3000); // central directory, same last block
    expect(stats.reads).toBe(1);
    await cached.read(0, 30); // local header
    await cached.read(30, 200); // its name and the start of data.pkl
    expect(stats.reads).toBe(2);
    await cached.read(40_000, 100_000); // blocks 1..4: block 1 missing..4 missing: one read
    expect(stats.reads).toBe(3);
    expect(stats.bytesRead).toBe(32 * 1024 + 32 * 1024 - (32 * 1024 - (size % (32 * 1024))) + 4 * 32 * 1024);
  });

  test('a large file: the first read at its start takes the head (magic bytes and data.pkl together)', async () => {
    const { source, stats } = countingSource(bytesSource(data, 'large'));
    const cached = cachingSource(source, { blockBytes: 4096, headBytes: 32 * 1024 });
    expect(await cached.read(0, 4)).toEqual(data.subarray(0, 4)); // the sniff of the magic bytes
    expect(stats).toEqual({ reads: 1, bytesRead: 32 * 1024 });
    expect(await cached.read(30, 20_000)).toEqual(data.subarray(30, 20_030)); // data.pkl, within the head
    expect(stats.reads).toBe(1);
    expect(await cached.read(32 * 1024, 10)).toEqual(data.subarray(32 * 1024, 32 * 1024 + 10)); // past the head: one block
    expect(stats).toEqual({ reads: 2, bytesRead: 32 * 1024 + 4096 });
  });
});

