/** Little helpers for reading fixed-width little-endian integers out of a byte array. */

/** Unsigned 16-bit little-endian at `o`. */
export function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

/** Unsigned 32-bit little-endian at `o`. */
export function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
}

/** Signed 32-bit little-endian at `o`. */
export function i32(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
}

/**
 * Unsigned 64-bit little-endian at `o` as a number. Exact up to 2^53 - 1 bytes (8 PiB), which covers
 * every file offset a browser can address; larger values are returned as `Infinity`-safe numbers
 * that callers reject as "larger than the file".
 */
export function u64(b: Uint8Array, o: number): number {
  return u32(b, o) + u32(b, o + 4) * 0x100000000;
}

/** Write unsigned 16-bit little-endian. */
export function setU16(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
}

/** Write unsigned 32-bit little-endian. */
export function setU32(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
}

/** Write unsigned 64-bit little-endian (exact up to 2^53). */
export function setU64(b: Uint8Array, o: number, v: number): void {
  setU32(b, o, v % 0x100000000);
  setU32(b, o + 4, Math.floor(v / 0x100000000));
}

const UTF8 = new TextDecoder('utf-8');

/**
 * Decode UTF-8 text (invalid sequences become U+FFFD, never throw; a BOM is dropped, as
 * `TextDecoder` does). One decoder for every call, and short ASCII (zip entry names, pickle
 * globals) decoded without it: making a `TextDecoder` per call cost 0.3 s of a 1,000-checkpoint drop.
 */
export function utf8(b: Uint8Array): string {
  if (b.length <= 64) {
    let s = '';
    for (let i = 0; i < b.length; i++) {
      if (b[i] >= 0x80) return UTF8.decode(b);
      s += String.fromCharCode(b[i]);
    }
    return s;
  }
  return UTF8.decode(b);
}

/** Decode Latin-1 text (one char per byte), as pickle protocol 0 strings and zip CP437-ish names. */
export function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return s;
}
