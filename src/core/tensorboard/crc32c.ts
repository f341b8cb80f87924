/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of TensorFlow's TFRecord
 * framing (`tensorflow/core/lib/hash/crc32c.h`), plus the TFRecord "mask" applied to it
 * (`tensorflow/core/lib/hash/crc32c.h` `Mask`/`Unmask`, used by `tensorflow/core/lib/io/record_writer.cc`).
 *
 * Table-driven, slicing-by-8 (eight 256-entry tables, eight bytes per step); not to be confused with
 * the ZIP format's CRC-32 (IEEE) in `src/core/zip/crc32.ts`.
 */

const POLY = 0x82f63b78;

/** TABLES[k * 256 + n]: CRC-32C of byte n followed by k zero bytes (slicing-by-8 tables). */
const TABLES = (() => {
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? POLY ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) {
      const prev = t[(k - 1) * 256 + n];
      t[k * 256 + n] = (prev >>> 8) ^ t[prev & 0xff];
    }
  }
  return t;
})();

/**
 * Continue a running CRC-32C over `bytes`. Start from 0; feeding a buffer in several chunks gives the
 * same result as feeding it whole.
 * @returns the new CRC as an unsigned 32-bit number
 */
export function crc32cUpdate(crc: number, bytes: Uint8Array): number {
  const t = TABLES;
  let c = ~crc >>> 0;
  let i = 0;
  const n = bytes.length;
  for (; i + 8 <= n; i += 8) {
    c ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    c =
      t[1792 + (c & 0xff)] ^
      t[1536 + ((c >>> 8) & 0xff)] ^
      t[1280 + ((c >>> 16) & 0xff)] ^
      t[1024 + (c >>> 24)] ^
      t[768 + bytes[i + 4]] ^
      t[512 + bytes[i + 5]] ^
      t[256 + bytes[i + 6]] ^
      t[bytes[i + 7]];
  }
  for (; i < n; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * CRC-32C of `bytes` as an unsigned 32-bit number. Check value: the ASCII bytes "123456789" give
 * 0xE3069283 (RFC 3720 appendix B.4, iSCSI).
 */
export function crc32c(bytes: Uint8Array): number {
  return crc32cUpdate(0, bytes);
}

/** TFRecord's mask delta, `kMaskDelta` in `tensorflow/core/lib/hash/crc32c.h`. */
export const CRC32C_MASK_DELTA = 0xa282ead8;

/**
 * Mask a CRC-32C the way TFRecord stores it: rotate right by 15 bits and add 0xa282ead8, modulo 2^32
 * (`crc32c::Mask` in `tensorflow/core/lib/hash/crc32c.h`; the mask keeps a CRC of data that itself
 * contains CRCs from being trivially self-consistent).
 * @returns unsigned 32-bit number
 */
export function maskCrc32c(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + CRC32C_MASK_DELTA) >>> 0;
}

/** Inverse of {@link maskCrc32c} (`crc32c::Unmask`): the plain CRC-32C from a stored masked one. */
export function unmaskCrc32c(masked: number): number {
  const rot = (masked - CRC32C_MASK_DELTA) >>> 0;
  return ((rot >>> 17) | (rot << 15)) >>> 0;
}

/** The masked CRC-32C of `bytes`, as stored after a TFRecord's length and after its data. */
export function maskedCrc32c(bytes: Uint8Array): number {
  return maskCrc32c(crc32c(bytes));
}
