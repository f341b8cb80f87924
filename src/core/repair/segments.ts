/**
 * A repaired file described as segments: ranges of the original plus a few new byte runs. The
 * browser turns it into a `Blob` of `File.slice`s (no copy of tensor data); Node streams it; the
 * verifier reads it back through {@link segmentsSource}.
 */
import type { ByteSource } from '../bytes/byteSource';

/** One piece of the output: a range of the original (offset, length in bytes) or literal bytes. */
export type Segment =
  | { readonly kind: 'source'; readonly offset: number; readonly length: number }
  | { readonly kind: 'bytes'; readonly data: Uint8Array };

/** Total output length in bytes. */
export function segmentsLength(segments: readonly Segment[]): number {
  return segments.reduce((n, s) => n + (s.kind === 'source' ? s.length : s.data.length), 0);
}

/** Sum of literal (new) bytes: the memory a repair costs beyond the original. */
export function literalBytes(segments: readonly Segment[]): number {
  return segments.reduce((n, s) => n + (s.kind === 'bytes' ? s.data.length : 0), 0);
}

/** Drop empty segments and merge adjacent source ranges. */
export function normalizeSegments(segments: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    if ((s.kind === 'source' ? s.length : s.data.length) === 0) continue;
    const last = out[out.length - 1];
    if (last && last.kind === 'source' && s.kind === 'source' && last.offset + last.length === s.offset) {
      out[out.length - 1] = { kind: 'source', offset: last.offset, length: last.length + s.length };
    } else out.push(s);
  }
  return out;
}

/**
 * Replace byte ranges of the original: `edits` are non-overlapping `[offset, offset+length)` ranges
 * of `size`-byte original, each replaced by `data` (which may be longer or shorter).
 */
export function spliceSegments(size: number, edits: readonly { offset: number; length: number; data: Uint8Array }[]): Segment[] {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset);
  const out: Segment[] = [];
  let pos = 0;
  for (const e of sorted) {
    if (e.offset < pos) throw new Error(`overlapping edits at byte ${e.offset}`);
    out.push({ kind: 'source', offset: pos, length: e.offset - pos });
    out.push({ kind: 'bytes', data: e.data });
    pos = e.offset + e.length;
  }
  out.push({ kind: 'source', offset: pos, length: size - pos });
  return normalizeSegments(out);
}

/** A ByteSource that reads the segmented output (for re-parsing the repaired file). */
export function segmentsSource(original: ByteSource, segments: readonly Segment[], name = original.name): ByteSource {
  const starts: number[] = [];
  let total = 0;
  for (const s of segments) {
    starts.push(total);
    total += s.kind === 'source' ? s.length : s.data.length;
  }
  return {
    name,
    size: total,
    async read(offset, length) {
      const end = Math.min(total, offset + length);
      const start = Math.max(0, offset);
      if (end <= start) return new Uint8Array(0);
      const out = new Uint8Array(end - start);
      // binary search the first segment
      let lo = 0;
      let hi = segments.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= start) lo = mid;
        else hi = mid - 1;
      }
      for (let i = lo; i < segments.length && starts[i] < end; i++) {
        const s = segments[i];
        const segLen = s.kind === 'source' ? s.length : s.data.length;
        const from = Math.max(start, starts[i]);
        const to = Math.min(end, starts[i] + segLen);
        if (to <= from) continue;
        const part = s.kind === 'source' ? await original.read(s.offset + (from - starts[i]), to - from) : s.data.subarray(from - starts[i], to - starts[i]);
        out.set(part, from - start);
      }
      return out;
    },
  };
}
