/**
 * Encoding Python ints as pickle opcodes for a repair (CPython `Lib/pickle.py` `save_long`):
 * protocol >= 1: BININT1 (0..255), BININT2 (0..65535), BININT (signed 32-bit), then LONG1
 * (protocol >= 2) or text LONG; protocol 0: text INT. An in-place rewrite keeps the old opcode
 * and its width when the new value fits in it.
 */
import { OP } from '../pickle/opcodes';
import { encodeSignedLE } from '../pickle/literals';

function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** The smallest encoding pickle itself would write for `value` at `protocol`. */
export function encodeInt(value: number, protocol: number): Uint8Array {
  if (protocol >= 1) {
    if (value >= 0 && value <= 0xff) return Uint8Array.of(OP.BININT1, value);
    if (value >= 0 && value <= 0xffff) return Uint8Array.of(OP.BININT2, value & 0xff, value >> 8);
    if (value >= -0x80000000 && value <= 0x7fffffff) return Uint8Array.of(OP.BININT, value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, (value >>> 24) & 0xff);
    if (protocol >= 2) {
      const b = encodeSignedLE(value);
      return Uint8Array.of(OP.LONG1, b.length, ...b);
    }
    return ascii(`L${value}L\n`);
  }
  return ascii(`I${value}\n`);
}

/**
 * Re-encode `value` into exactly the bytes of the old opcode (`old`, opcode byte included), keeping
 * the opcode, when it fits; otherwise undefined.
 */
export function encodeIntInPlace(old: Uint8Array, value: number): Uint8Array | undefined {
  const op = old[0];
  switch (op) {
    case OP.BININT1:
      return value >= 0 && value <= 0xff ? Uint8Array.of(op, value) : undefined;
    case OP.BININT2:
      return value >= 0 && value <= 0xffff ? Uint8Array.of(op, value & 0xff, value >> 8) : undefined;
    case OP.BININT:
      return value >= -0x80000000 && value <= 0x7fffffff ? Uint8Array.of(op, value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, (value >>> 24) & 0xff) : undefined;
    case OP.LONG1: {
      const n = old[1];
      const b = encodeSignedLE(value);
      if (b.length > n) return undefined;
      // sign-extend to the old width
      const out = new Uint8Array(2 + n);
      out[0] = op;
      out[1] = n;
      out.set(b, 2);
      out.fill(value < 0 ? 0xff : 0, 2 + b.length);
      return out;
    }
    case OP.INT:
    case OP.LONG: {
      // Text forms: pad with leading zeros to the old width (int('0300') == 300). INT "00"/"01" mean
      // False/True, so those two paddings are refused.
      const suffix = op === OP.LONG && old[old.length - 2] === 0x4c ? 'L' : '';
      const width = old.length - 2 - suffix.length;
      const digits = String(Math.abs(value));
      const body = (value < 0 ? '-' : '') + digits.padStart(width - (value < 0 ? 1 : 0), '0');
      if (body.length !== width) return undefined;
      if (op === OP.INT && (body === '00' || body === '01')) return undefined;
      return ascii(`${String.fromCharCode(op)}${body}${suffix}\n`);
    }
    default:
      return undefined;
  }
}

/** True when the byte at the start of a span is an opcode that pushes an int. */
export function isIntOpcode(op: number): boolean {
  return op === OP.BININT1 || op === OP.BININT2 || op === OP.BININT || op === OP.LONG1 || op === OP.LONG4 || op === OP.INT || op === OP.LONG;
}
