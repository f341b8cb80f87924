/**
 * Rewrite int values of a pickle stream in place or by splicing a wider opcode, fixing the FRAME
 * lengths of protocol 4/5 pickles (PEP 3154: a FRAME opcode announces the byte length of the
 * opcodes that follow it, up to the next FRAME).
 */
import { setU64 } from '../bytes/binary';
import type { PickleResult } from '../pickle/machine';
import type { Span } from '../pickle/values';
import { encodeInt, encodeIntInPlace, isIntOpcode } from './intOpcodes';

/** One int to rewrite: the span of the opcode that produced it and the new value. */
export interface IntTarget {
  readonly field: string;
  readonly span: Span;
  readonly after: number;
}

/** A replacement of bytes `[offset, offset+length)` of the pickle stream by `data`. */
export interface ByteEdit {
  readonly offset: number;
  readonly length: number;
  readonly data: Uint8Array;
}

/** The planned edits of one pickle. */
export interface PicklePatch {
  /** Edits in pickle-stream coordinates (indices into the bytes given), sorted. */
  readonly edits: ByteEdit[];
  /** Change of the stream length in bytes. */
  readonly delta: number;
  /** True when every value fit its old opcode (the stream keeps its length and layout). */
  readonly inPlace: boolean;
}

/**
 * Plan the edits that set each target int.
 * @throws Error when a target span does not hold an int opcode (the caller's spans are wrong)
 */
export function planIntEdits(bytes: Uint8Array, pickle: PickleResult, targets: readonly IntTarget[]): PicklePatch {
  const edits: ByteEdit[] = [];
  let delta = 0;
  let inPlace = true;
  const valueEdits = [...targets].sort((a, b) => a.span.offset - b.span.offset);
  for (const t of valueEdits) {
    const old = bytes.subarray(t.span.offset, t.span.offset + t.span.length);
    if (!isIntOpcode(old[0])) throw new Error(`${t.field}: the opcode at byte ${t.span.offset} does not push an int`);
    let data = encodeIntInPlace(old, t.after);
    if (!data) {
      data = encodeInt(t.after, pickle.protocol);
      inPlace = false;
    }
    edits.push({ offset: t.span.offset, length: t.span.length, data });
    delta += data.length - t.span.length;
  }
  if (!inPlace && pickle.frames.length > 0) {
    for (const f of pickle.frames) {
      const bodyStart = f.offset + 9;
      const bodyEnd = bodyStart + f.length;
      const grow = edits.filter((e) => e.offset >= bodyStart && e.offset < bodyEnd).reduce((n, e) => n + e.data.length - e.length, 0);
      if (grow !== 0) {
        const len = new Uint8Array(8);
        setU64(len, 0, f.length + grow);
        edits.push({ offset: f.offset + 1, length: 8, data: len });
      }
    }
    edits.sort((a, b) => a.offset - b.offset);
  }
  return { edits, delta, inPlace };
}

/** Apply sorted, non-overlapping edits to a byte array, giving the new array. */
export function applyEdits(bytes: Uint8Array, edits: readonly ByteEdit[]): Uint8Array {
  const delta = edits.reduce((n, e) => n + e.data.length - e.length, 0);
  const out = new Uint8Array(bytes.length + delta);
  let src = 0;
  let dst = 0;
  for (const e of edits) {
    out.set(bytes.subarray(src, e.offset), dst);
    dst += e.offset - src;
    out.set(e.data, dst);
    dst += e.data.length;
    src = e.offset + e.length;
  }
  out.set(bytes.subarray(src), dst);
  return out;
}
