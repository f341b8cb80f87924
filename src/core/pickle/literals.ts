/**
 * Decoders for the text arguments of protocol-0 opcodes (INT, LONG, FLOAT, STRING, UNICODE) and the
 * two's-complement bytes of LONG1/LONG4, following CPython `Lib/pickle.py` (`load_int`,
 * `load_long`, `load_float`, `load_string` via `codecs.escape_decode`, `load_unicode` via
 * `raw-unicode-escape`) and `pickle.decode_long`.
 */

/**
 * Parse a Python decimal integer literal (optional sign, digits). Returns a number when it is a
 * safe integer, a bigint when larger, `undefined` when malformed.
 */
export function parseDecimalInt(text: string): number | bigint | undefined {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) return undefined;
  const n = Number(t);
  if (Number.isSafeInteger(n)) return n;
  return BigInt(t);
}

/** Parse a `repr(float)` text (also `nan`, `inf`, `-inf`). `undefined` when malformed. */
export function parsePythonFloat(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'nan') return NaN;
  if (t === 'inf' || t === '+inf') return Infinity;
  if (t === '-inf') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Decode little-endian two's-complement bytes (LONG1 / LONG4, `pickle.decode_long`). Zero bytes
 * mean 0. Returns a number when safe, else a bigint. Linear in the byte count (through one hex
 * literal; shifting a bigint byte by byte is quadratic: minutes for a 1 MB LONG4).
 */
export function decodeSignedLE(b: Uint8Array): number | bigint {
  if (b.length === 0) return 0;
  let hex = '0x';
  for (let i = b.length - 1; i >= 0; i--) hex += HEX[b[i]];
  let v = BigInt(hex);
  if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

/**
 * Encode an integer as the minimal little-endian two's-complement bytes of LONG1
 * (`pickle.encode_long`): 0 -> empty.
 */
export function encodeSignedLE(value: number | bigint): Uint8Array {
  let v = BigInt(value);
  if (v === 0n) return new Uint8Array(0);
  const out: number[] = [];
  for (;;) {
    out.push(Number(v & 0xffn));
    v >>= 8n;
    const sign = out[out.length - 1] & 0x80;
    if ((v === 0n && !sign) || (v === -1n && sign)) break;
  }
  return Uint8Array.from(out);
}

/** Decode the body of a protocol-0 STRING literal (`codecs.escape_decode`), as latin-1 text. */
export function decodeEscapedString(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const n = body[++i];
    switch (n) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case "'": out += "'"; break;
      case '"': out += '"'; break;
      case '\n': break;
      case 'x': {
        const hex = body.slice(i + 1, i + 3);
        if (/^[0-9a-fA-F]{2}$/.test(hex)) {
          out += String.fromCharCode(parseInt(hex, 16));
          i += 2;
        } else out += '\\x';
        break;
      }
      default:
        if (n >= '0' && n <= '7') {
          let oct = n;
          while (oct.length < 3 && body[i + 1] >= '0' && body[i + 1] <= '7') oct += body[++i];
          out += String.fromCharCode(parseInt(oct, 8) & 0xff);
        } else out += '\\' + n;
    }
  }
  return out;
}

/** Decode a protocol-0 UNICODE argument (`raw-unicode-escape`: only \uXXXX and \UXXXXXXXX escape). */
export function decodeRawUnicodeEscape(text: string): string {
  return text.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, u4: string | undefined, u8: string | undefined) =>
    String.fromCodePoint(parseInt((u4 ?? u8) as string, 16)),
  );
}
