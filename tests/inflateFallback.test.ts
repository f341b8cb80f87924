/**
 * The fflate fallback for engines without DecompressionStream('deflate-raw'): same bytes as the
 * platform inflater, same limits, and readEntry takes it when the platform lacks the format.
 */
import { afterEach, expect, test, vi } from 'vitest';
import { deflateSync, zipSync } from 'fflate';
import { bytesSource } from '../src/core/bytes/byteSource';
import { CheckpointFormatError } from '../src/core/errors';
import { hasDeflateRawStream, inflateRawFallback } from '../src/core/zip/inflateFallback';
import { readEntry, readZipIndex } from '../src/core/zip/zipReader';

/** 500 KB of pseudo-random digits (an LCG): compresses to far more than one 16 KB input chunk. */
const text = new TextEncoder().encode(Array.from({ length: 100_000 }, (_, i) => String((Math.imul(i, 2654435761) >>> 0) % 100_000).padStart(5, '0')).join(''));

afterEach(() => vi.unstubAllGlobals());

/** Byte equality without an element-by-element diff (fast on 500 KB). */
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));

test('inflates what deflateRaw wrote, across many input chunks', () => {
  const raw = deflateSync(text, { level: 1 });
  expect(raw.length).toBeGreaterThan(2 * 16 * 1024); // more than one 16 KB input chunk
  expect(same(inflateRawFallback(raw, text.length, 1 << 30, 'a.zip', 'm'), text)).toBe(true);
});

test('limits and damage give the same typed errors as the platform path', () => {
  const raw = deflateSync(text);
  const err = (f: () => unknown): CheckpointFormatError => {
    try {
      f();
    } catch (e) {
      if (e instanceof CheckpointFormatError) return e;
      throw e;
    }
    throw new Error('no error');
  };
  expect(err(() => inflateRawFallback(raw, text.length - 1, 1 << 30, 'a.zip', 'm')).code).toBe('bad-zip');
  expect(err(() => inflateRawFallback(raw, text.length, 1000, 'a.zip', 'm')).code).toBe('limit-exceeded');
  const cut = err(() => inflateRawFallback(raw.subarray(0, raw.length >> 1), text.length, 1 << 30, 'a.zip', 'm'));
  expect([cut.code, cut.member]).toEqual(['bad-zip', 'm']);
});

test('readEntry inflates with fflate where DecompressionStream lacks deflate-raw', async () => {
  const zip = zipSync({ 'run/state.json': [text, { level: 6 }] });
  const src = bytesSource(zip, 'run.zip');
  const entry = (await readZipIndex(src)).entries[0];
  expect(entry.method).toBe(8);
  expect(hasDeflateRawStream()).toBe(true); // Node 20
  vi.stubGlobal(
    'DecompressionStream',
    class {
      constructor(format: string) {
        if (format !== 'gzip' && format !== 'deflate') throw new TypeError(`Unsupported compression format: '${format}'`);
      }
    },
  );
  expect(hasDeflateRawStream()).toBe(false);
  expect(same(await readEntry(src, entry), text)).toBe(true);
  vi.stubGlobal('DecompressionStream', undefined);
  expect(hasDeflateRawStream()).toBe(false);
  expect(same(await readEntry(src, entry), text)).toBe(true);
});
