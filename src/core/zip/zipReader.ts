/**
 * Random-access ZIP reader: finds the end of central directory record from the tail, follows the
 * ZIP64 locator when present, parses the central directory, and reads local headers and entry data
 * only on demand. It never reads an entry it is not asked for, so a 4 GiB torch archive is indexed
 * with a few kilobytes of reads. Format rules: PKWARE APPNOTE.TXT 6.3.x (sections 4.3.6-4.3.16,
 * 4.5.3 ZIP64 extended information extra field).
 */
import type { ByteSource } from '../bytes/byteSource';
import { u16, u32, u64, latin1, utf8 } from '../bytes/binary';
import { CheckpointFormatError } from '../errors';
import type { ZipEntry, ZipIndex, ZipLocalHeader } from './zipTypes';
import { crc32 } from './crc32';
import { hasDeflateRawStream, inflateRawFallback } from './inflateFallback';

/** Record signatures (PKWARE APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16, 4.3.14, 4.3.15): local header, central header, end record, ZIP64 end record, ZIP64 locator. */
export const SIG_LOCAL = 0x04034b50;
export const SIG_CENTRAL = 0x02014b50;
export const SIG_EOCD = 0x06054b50;
export const SIG_ZIP64_EOCD = 0x06064b50;
export const SIG_ZIP64_LOCATOR = 0x07064b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;
/** Upper bound on entries we index, against hostile archives (a torch file has one per storage). */
export const MAX_ZIP_ENTRIES = 2_000_000;

/** True when the first bytes are a local file header signature ("PK\x03\x04"). */
export function looksLikeZip(head: Uint8Array): boolean {
  return head.length >= 4 && u32(head, 0) === SIG_LOCAL;
}

/** Bytes at the end of a file searched first for the end record (APPNOTE 4.3.16: 22 bytes plus the comment). */
const FIRST_TAIL_BYTES = 8 * 1024;

/**
 * Offset in `tail` (the last bytes of a file) of the end of central directory record: the last
 * signature whose comment fits within `tail`, or -1. Scanned from the end, so a longer tail finds
 * the same record whenever a shorter one holds it.
 */
function findEocd(tail: Uint8Array): number {
  for (let i = tail.length - EOCD_MIN; i >= 0; i--) {
    if (tail[i] === 0x50 && tail[i + 1] === 0x4b && u32(tail, i) === SIG_EOCD) {
      const commentLen = u16(tail, i + 20);
      if (i + EOCD_MIN + commentLen <= tail.length) return i;
    }
  }
  return -1;
}

/**
 * Index an archive: locate EOCD (and ZIP64 records), parse every central directory header.
 *
 * Reads: the last 8 KiB (the last <= 65,557 bytes when the end record is not there: a long
 * comment), the ZIP64 records if any, and the central directory.
 * @throws CheckpointFormatError `truncated` when no end record exists but the file starts like a
 *         zip (a cut-short download), `bad-zip` when it neither starts nor ends like one (a file
 *         merely named .zip) and for inconsistent records, `limit-exceeded` for absurd entry counts.
 */
export async function readZipIndex(src: ByteSource): Promise<ZipIndex> {
  // the end record is almost always in the last few KiB (torch writes no comment): look there
  // first, and read the whole 64 KiB a comment may take only when it is not found
  let tailLen = Math.min(src.size, FIRST_TAIL_BYTES);
  let tailStart = src.size - tailLen;
  let tail = await src.read(tailStart, tailLen);
  let eocdRel = findEocd(tail);
  if (eocdRel < 0 && tailLen < Math.min(src.size, EOCD_MIN + MAX_COMMENT)) {
    tailLen = Math.min(src.size, EOCD_MIN + MAX_COMMENT);
    tailStart = src.size - tailLen;
    tail = await src.read(tailStart, tailLen);
    eocdRel = findEocd(tail);
  }
  if (eocdRel < 0) {
    // a cut-short zip still starts with its signature `PK`; anything else only carries the name
    // of one (a text or HTML file saved as .zip)
    const head = await src.read(0, Math.min(src.size, 2));
    if (head.length === 2 && !(head[0] === 0x50 && head[1] === 0x4b)) {
      throw new CheckpointFormatError('bad-zip', src.name, 'this is not a zip archive: it neither starts with a zip signature (PK) nor ends with a zip end record, whatever its name says.', { offset: 0 });
    }
    throw new CheckpointFormatError(
      'truncated',
      src.name,
      'the file ends early: the zip central directory is missing, so a download or copy was cut short. Copy the file again from where it was saved.',
    );
  }
  const eocdOffset = tailStart + eocdRel;
  const anomalies: string[] = [];
  const diskNo = u16(tail, eocdRel + 4);
  let count = u16(tail, eocdRel + 10);
  let cdSize = u32(tail, eocdRel + 12);
  let cdOffset = u32(tail, eocdRel + 16);
  const commentLen = u16(tail, eocdRel + 20);
  const trailingBytes = src.size - (eocdOffset + EOCD_MIN + commentLen);
  if (trailingBytes > 0) anomalies.push(`${trailingBytes} bytes of extra data follow the end of the archive`);
  if (diskNo !== 0 && diskNo !== 0xffff) anomalies.push('the archive claims to be part of a multi-disk set');

  let zip64EocdOffset: number | undefined;
  let zip64LocatorOffset: number | undefined;
  const locRel = eocdRel - 20;
  const locator = locRel >= 0 ? tail.subarray(locRel, locRel + 20) : await src.read(eocdOffset - 20, 20);
  if (locator.length === 20 && u32(locator, 0) === SIG_ZIP64_LOCATOR) {
    zip64LocatorOffset = eocdOffset - 20;
    zip64EocdOffset = u64(locator, 8);
    const rec = await src.read(zip64EocdOffset, 56);
    if (rec.length < 56 || u32(rec, 0) !== SIG_ZIP64_EOCD) {
      throw new CheckpointFormatError('bad-zip', src.name, 'the ZIP64 end-of-archive record is missing or damaged.', {
        offset: zip64EocdOffset,
      });
    }
    count = u64(rec, 32);
    cdSize = u64(rec, 40);
    cdOffset = u64(rec, 48);
  }
  if (count > MAX_ZIP_ENTRIES) {
    throw new CheckpointFormatError('limit-exceeded', src.name, `the archive declares ${count} entries, more than the ${MAX_ZIP_ENTRIES} this viewer reads.`);
  }
  const cdEnd = zip64EocdOffset ?? eocdOffset;
  if (cdOffset + cdSize > cdEnd) {
    throw new CheckpointFormatError(
      'truncated',
      src.name,
      'the zip central directory points past the end of the data: the file was cut short or damaged.',
      { offset: cdOffset },
    );
  }
  const cd = await src.read(cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  while (p + 46 <= cd.length && entries.length < count) {
    if (u32(cd, p) !== SIG_CENTRAL) {
      throw new CheckpointFormatError('bad-zip', src.name, 'a central directory record is damaged (bad signature).', {
        offset: cdOffset + p,
      });
    }
    const flags = u16(cd, p + 8);
    const method = u16(cd, p + 10);
    const crc = u32(cd, p + 16);
    let compressedSize = u32(cd, p + 20);
    let uncompressedSize = u32(cd, p + 24);
    const nameLen = u16(cd, p + 28);
    const extraLen = u16(cd, p + 30);
    const commentLength = u16(cd, p + 32);
    let localHeaderOffset = u32(cd, p + 42);
    const recLen = 46 + nameLen + extraLen + commentLength;
    if (p + recLen > cd.length) {
      throw new CheckpointFormatError('bad-zip', src.name, 'a central directory record runs past the directory end.', {
        offset: cdOffset + p,
      });
    }
    const nameBytes = cd.subarray(p + 46, p + 46 + nameLen);
    const name = flags & 0x800 ? utf8(nameBytes) : latin1(nameBytes);
    let zip64 = false;
    // ZIP64 extended information extra field (header id 0x0001): values present only for fields
    // that are 0xFFFFFFFF in the fixed record, in this order (APPNOTE 4.5.3).
    let e = p + 46 + nameLen;
    const eEnd = e + extraLen;
    while (e + 4 <= eEnd) {
      const id = u16(cd, e);
      const len = u16(cd, e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressedSize === 0xffffffff && q + 8 <= e + 4 + len) (uncompressedSize = u64(cd, q)), (q += 8), (zip64 = true);
        if (compressedSize === 0xffffffff && q + 8 <= e + 4 + len) (compressedSize = u64(cd, q)), (q += 8), (zip64 = true);
        if (localHeaderOffset === 0xffffffff && q + 8 <= e + 4 + len) (localHeaderOffset = u64(cd, q)), (q += 8), (zip64 = true);
      }
      e += 4 + len;
    }
    if (flags & 0x1) anomalies.push(`${name} is encrypted (flag bit 0)`);
    if (localHeaderOffset + 30 > cdOffset) {
      throw new CheckpointFormatError('bad-zip', src.name, `the entry ${name} points past the archive data.`, {
        offset: cdOffset + p,
      });
    }
    entries.push({
      name,
      method,
      flags,
      crc32: crc,
      compressedSize,
      uncompressedSize,
      localHeaderOffset,
      centralHeaderOffset: cdOffset + p,
      centralHeaderLength: recLen,
      zip64,
    });
    p += recLen;
  }
  if (entries.length !== count) {
    anomalies.push(`the end record declares ${count} entries but the central directory holds ${entries.length}`);
  }
  return {
    entries,
    centralDirectoryOffset: cdOffset,
    centralDirectorySize: cdSize,
    eocdOffset,
    zip64EocdOffset,
    zip64LocatorOffset,
    trailingBytes,
    anomalies,
  };
}

/**
 * Read an entry's local file header to find where its data starts.
 * @throws CheckpointFormatError `bad-zip` when the signature is wrong, `truncated` when the header
 *         lies past the end of the file.
 */
export async function readLocalHeader(src: ByteSource, entry: ZipEntry): Promise<ZipLocalHeader> {
  const fixed = await src.read(entry.localHeaderOffset, 30);
  if (fixed.length < 30) {
    throw new CheckpointFormatError('truncated', src.name, `the file ends inside the header of ${entry.name}.`, {
      offset: entry.localHeaderOffset,
    });
  }
  if (u32(fixed, 0) !== SIG_LOCAL) {
    throw new CheckpointFormatError('bad-zip', src.name, `the local header of ${entry.name} is damaged (bad signature).`, {
      offset: entry.localHeaderOffset,
    });
  }
  const nameLength = u16(fixed, 26);
  const extraLength = u16(fixed, 28);
  const nameBytes = await src.read(entry.localHeaderOffset + 30, nameLength);
  const flags = u16(fixed, 6);
  return {
    dataOffset: entry.localHeaderOffset + 30 + nameLength + extraLength,
    name: flags & 0x800 ? utf8(nameBytes) : latin1(nameBytes),
    extraLength,
    nameLength,
  };
}

/** Options for {@link readEntry}. */
export interface ReadEntryOptions {
  /** Verify the CRC-32 of the data against the central directory (default true). */
  verifyCrc?: boolean;
  /** Refuse to inflate more than this many bytes (zip-bomb guard). Default 512 MiB. */
  maxUncompressed?: number;
}

/**
 * Read and (for method 8) inflate a whole entry.
 * @throws CheckpointFormatError `crc-mismatch` when the data's CRC-32 differs from the directory's,
 *         `unsupported-compression` for methods other than 0/8, `limit-exceeded` above
 *         `maxUncompressed`, `bad-zip` for invalid deflate data or data that inflates to more
 *         than its declared size, `truncated` when the data runs past the end of the file.
 */
export async function readEntry(src: ByteSource, entry: ZipEntry, options: ReadEntryOptions = {}): Promise<Uint8Array> {
  const max = options.maxUncompressed ?? 512 * 1024 * 1024;
  if (entry.uncompressedSize > max) {
    throw new CheckpointFormatError('limit-exceeded', src.name, `${entry.name} is ${entry.uncompressedSize} bytes uncompressed, more than the ${max} this viewer inflates.`, { member: entry.name });
  }
  const local = await readLocalHeader(src, entry);
  const raw = await src.read(local.dataOffset, entry.compressedSize);
  if (raw.length < entry.compressedSize) {
    throw new CheckpointFormatError('truncated', src.name, `the file ends inside ${entry.name}: a download or copy was cut short.`, {
      offset: local.dataOffset,
      member: entry.name,
    });
  }
  let data: Uint8Array;
  if (entry.method === 0) data = raw;
  else if (entry.method === 8) data = await inflateRaw(raw, entry.uncompressedSize, max, src.name, entry.name);
  else {
    throw new CheckpointFormatError('unsupported-compression', src.name, `${entry.name} uses compression method ${entry.method}; only stored and deflate are read.`, { member: entry.name });
  }
  if (options.verifyCrc !== false && crc32(data) !== entry.crc32) {
    throw new CheckpointFormatError(
      'crc-mismatch',
      src.name,
      `${entry.name} is corrupt: its CRC-32 does not match the one recorded in the archive (a bit flip or a damaged copy).`,
      { offset: local.dataOffset, member: entry.name },
    );
  }
  return data;
}

/**
 * Inflate raw DEFLATE data (RFC 1951) with the platform's DecompressionStream, stopping as soon as
 * the output exceeds `declared` (the central directory's uncompressed size, already checked
 * against `max`): a zip bomb that lies about its size costs at most one chunk more than it declares.
 * Engines without 'deflate-raw' use fflate instead (`inflateFallback.ts`).
 */
async function inflateRaw(raw: Uint8Array, declared: number, max: number, file: string, member: string): Promise<Uint8Array> {
  if (!hasDeflateRawStream()) return inflateRawFallback(raw, declared, max, file, member);
  const stream = new Blob([raw as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > max) {
        await reader.cancel();
        throw new CheckpointFormatError('limit-exceeded', file, `${member} inflates to more than ${max} bytes (a zip bomb?).`, { member });
      }
      if (total > declared) {
        await reader.cancel();
        throw new CheckpointFormatError('bad-zip', file, `${member} inflates to more than the ${declared} bytes its directory entry declares: the archive is damaged (or a zip bomb).`, { member });
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof CheckpointFormatError) throw e;
    throw new CheckpointFormatError('bad-zip', file, `${member} is not valid deflate data: ${(e as Error).message}`, { member });
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) out.set(c, o), (o += c.length);
  return out;
}
