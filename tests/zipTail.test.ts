/**
 * The zip index is found from the last 8 KiB first, and from the last 64 KiB + 22 bytes (APPNOTE
 * 4.3.16: the end record plus the longest comment) only when a long comment hides it: the archive
 * reads the same either way, in one read when no comment is there.
 */
import { describe, expect, test } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { bytesSource, countingSource } from '../src/core/bytes/byteSource';
import { readZipIndex } from '../src/core/zip/zipReader';

/** `zip` with an archive comment of `n` bytes: the end record's comment length set and the comment appended. */
function withComment(zip: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(zip.length + n);
  out.set(zip);
  const eocd = zip.length - 22;
  new DataView(out.buffer).setUint16(eocd + 20, n, true);
  out.fill(0x43, zip.length); // 'C'
  return out;
}

describe('zip end record', () => {
  const files = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`archive/data/${i}`, strToU8(`storage ${i} `.repeat(200 + i))]));
  const zip = zipSync(files, { level: 0 });

  test('no comment: one read of the last 8 KiB finds the end record; 40 entries indexed', async () => {
    const { source, stats } = countingSource(bytesSource(zip, 'plain.zip'));
    const index = await readZipIndex(source);
    expect(index.entries.map((e) => e.name)).toEqual(Object.keys(files));
    // the tail read, plus one for the part of the central directory before the last 8 KiB, if any
    expect(stats.reads).toBeLessThanOrEqual(2);
    expect(stats.bytesRead).toBeLessThan(8 * 1024 + 4 * 1024);
  });

  test('a 20,000-byte comment: the end record is found in the longer tail, the same entries', async () => {
    const commented = withComment(zip, 20_000);
    const { source, stats } = countingSource(bytesSource(commented, 'commented.zip'));
    const index = await readZipIndex(source);
    expect(index.entries.map((e) => e.name)).toEqual(Object.keys(files));
    expect(stats.reads).toBeGreaterThanOrEqual(2); // 8 KiB, then the longer tail
  });
});
