/**
 * Re-lay a torch zip archive around a changed `data.pkl`: new CRC-32 and sizes (local header or
 * data descriptor, central directory), every later local header offset shifted by a multiple of 64
 * so PyTorch's 64-byte data alignment holds (the padding goes into the next entry's "FB" extra
 * field, as PyTorch's writer pads: caffe2/serialize/inline_container.cc `getPadding`), the central
 * directory, ZIP64 end record and locator, and the end record. Format: PKWARE APPNOTE.TXT 4.3.
 * Tensor data is never copied: it stays as ranges of the original.
 */
import type { ByteSource } from '../bytes/byteSource';
import { setU16, setU32, setU64, u16, u32, u64 } from '../bytes/binary';
import { CheckpointFormatError } from '../errors';
import type { TorchZipLayout } from '../torch/torchFile';
import { crc32 } from '../zip/crc32';
import { SIG_CENTRAL, SIG_ZIP64_EOCD, SIG_ZIP64_LOCATOR } from '../zip/zipReader';
import type { ZipEntry } from '../zip/zipTypes';
import { normalizeSegments, type Segment } from './segments';

const ALIGN = 64;
const PAD_FIELD = 0x4246; // "FB"
const MAX32 = 0xffffffff;

/** What the re-lay changed, for the repair report. */
export interface ZipRelayoutInfo {
  /** Bytes the data of every entry after data.pkl moved by (a multiple of 64). */
  readonly shift: number;
  readonly newCrc: number;
  readonly oldCrc: number;
}

async function readExact(src: ByteSource, offset: number, length: number): Promise<Uint8Array> {
  const b = await src.read(offset, length);
  if (b.length !== length) throw new CheckpointFormatError('truncated', src.name, 'the file ends inside a zip record.', { offset });
  return new Uint8Array(b); // a private copy we may edit
}

async function readLocalHeaderBytes(src: ByteSource, e: ZipEntry): Promise<Uint8Array> {
  const fixed = await readExact(src, e.localHeaderOffset, 30);
  return readExact(src, e.localHeaderOffset, 30 + u16(fixed, 26) + u16(fixed, 28));
}

/**
 * Offsets of the "FB" padding field in a local header's extra field (-1 when absent), or undefined
 * when the extra field is malformed: a sub-field that runs past its end (APPNOTE 4.5.1).
 */
function padFieldOf(header: Uint8Array): number | undefined {
  const extraStart = 30 + u16(header, 26);
  const extraEnd = extraStart + u16(header, 28);
  let p = extraStart;
  let fb = -1;
  while (p + 4 <= extraEnd) {
    const end = p + 4 + u16(header, p + 2);
    if (end > extraEnd) return undefined;
    if (u16(header, p) === PAD_FIELD) fb = p;
    p = end;
  }
  return fb;
}

/**
 * Grow a local header's extra field by `pad` bytes inside an "FB" padding field (adding one when absent).
 * @throws CheckpointFormatError `bad-zip` when the extra field is malformed or would exceed 65,535 bytes
 */
function padLocalHeader(header: Uint8Array, pad: number, file: string, entry: ZipEntry): Uint8Array {
  if (pad === 0) return header;
  const extraLen = u16(header, 28);
  const fb = padFieldOf(header);
  if (fb === undefined) {
    throw new CheckpointFormatError('bad-zip', file, `the local header of ${entry.name} has a damaged extra field (a sub-field runs past its end), so the archive cannot be re-laid byte-exactly.`, { offset: entry.localHeaderOffset, member: entry.name });
  }
  if (extraLen + pad > 0xffff) {
    throw new CheckpointFormatError('bad-zip', file, `the local header of ${entry.name} has no room for ${pad} more bytes of padding (an extra field is at most 65,535 bytes), so the archive cannot be re-laid.`, { offset: entry.localHeaderOffset, member: entry.name });
  }
  const out = new Uint8Array(header.length + pad);
  if (fb >= 0) {
    const fbEnd = fb + 4 + u16(header, fb + 2);
    out.set(header.subarray(0, fbEnd), 0);
    out.fill(0x5a, fbEnd, fbEnd + pad); // 'Z', as PyTorch pads
    out.set(header.subarray(fbEnd), fbEnd + pad);
    setU16(out, fb + 2, u16(header, fb + 2) + pad);
  } else {
    out.set(header, 0);
    setU16(out, header.length, PAD_FIELD);
    setU16(out, header.length + 2, pad - 4);
    out.fill(0x5a, header.length + 4);
  }
  setU16(out, 28, extraLen + pad);
  return out;
}

/** Rebuild one central directory record with new crc/sizes/offset, writing ZIP64 fields where needed. */
function rebuildCentral(raw: Uint8Array, crc: number, compressed: number, uncompressed: number, offset: number): Uint8Array {
  const nameLen = u16(raw, 28);
  const extraLen = u16(raw, 30);
  const commentLen = u16(raw, 32);
  const extras: Uint8Array[] = [];
  let p = 46 + nameLen;
  while (p + 4 <= 46 + nameLen + extraLen) {
    const len = u16(raw, p + 2);
    if (u16(raw, p) !== 0x0001) extras.push(raw.subarray(p, p + 4 + len));
    p += 4 + len;
  }
  const wide = (v: number, field: number): boolean => v >= MAX32 || u32(raw, field) === MAX32;
  const z64: number[] = [];
  if (wide(uncompressed, 24)) z64.push(uncompressed);
  if (wide(compressed, 20)) z64.push(compressed);
  if (wide(offset, 42)) z64.push(offset);
  const z64Len = z64.length ? 4 + 8 * z64.length : 0;
  const otherLen = extras.reduce((n, e) => n + e.length, 0);
  const out = new Uint8Array(46 + nameLen + z64Len + otherLen + commentLen);
  out.set(raw.subarray(0, 46 + nameLen), 0);
  setU32(out, 16, crc);
  setU32(out, 20, wide(compressed, 20) ? MAX32 : compressed);
  setU32(out, 24, wide(uncompressed, 24) ? MAX32 : uncompressed);
  setU32(out, 42, wide(offset, 42) ? MAX32 : offset);
  setU16(out, 30, z64Len + otherLen);
  let q = 46 + nameLen;
  if (z64.length) {
    setU16(out, q, 0x0001);
    setU16(out, q + 2, 8 * z64.length);
    z64.forEach((v, i) => setU64(out, q + 4 + 8 * i, v));
    q += z64Len;
  }
  for (const e of extras) out.set(e, q), (q += e.length);
  out.set(raw.subarray(46 + nameLen + extraLen, 46 + nameLen + extraLen + commentLen), q);
  return out;
}

/**
 * Segments of the archive with `data.pkl` replaced by `newData`.
 * @throws CheckpointFormatError when data.pkl is compressed (torch writes it stored) or records are damaged
 */
export async function relayoutZip(src: ByteSource, zip: TorchZipLayout, newData: Uint8Array): Promise<{ segments: Segment[]; info: ZipRelayoutInfo }> {
  const entry = zip.dataPkl;
  if (entry.method !== 0) {
    throw new CheckpointFormatError('unsupported-compression', src.name, 'data.pkl is compressed; PyTorch always stores it, so this archive was rewritten by another tool and cannot be repaired byte-exactly.', { member: entry.name });
  }
  const idx = zip.index;
  const byOffset = [...idx.entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  const pos = byOffset.indexOf(entry);
  const next = byOffset[pos + 1];
  const oldLen = entry.compressedSize;
  const newLen = newData.length;
  const d = newLen - oldLen;
  const newCrc = crc32(newData);

  // data.pkl local header
  const local = await readLocalHeaderBytes(src, entry);
  const flags = u16(local, 6);
  const hasDescriptor = (flags & 0x8) !== 0;
  const dataStart = entry.localHeaderOffset + local.length;
  const dataEnd = dataStart + oldLen;
  const followOffset = next ? next.localHeaderOffset : idx.centralDirectoryOffset;
  if (!hasDescriptor) {
    setU32(local, 14, newCrc);
    if (u32(local, 18) !== MAX32) setU32(local, 18, newLen);
    if (u32(local, 22) !== MAX32) setU32(local, 22, newLen);
  }
  // data descriptor (PKWARE 4.3.9): [signature] crc32, sizes (4+4, or 8+8 for ZIP64)
  let descriptor: Uint8Array | undefined;
  const gapLen = followOffset - dataEnd;
  if (hasDescriptor && gapLen > 0) {
    descriptor = await readExact(src, dataEnd, gapLen);
    const sig = u32(descriptor, 0) === 0x08074b50 ? 4 : 0;
    setU32(descriptor, sig, newCrc);
    if (gapLen - sig >= 20) setU64(descriptor, sig + 4, newLen), setU64(descriptor, sig + 12, newLen);
    else setU32(descriptor, sig + 4, newLen), setU32(descriptor, sig + 8, newLen);
  }

  // shift of everything after data.pkl: a multiple of 64 so data alignment is kept
  let shift = d;
  let nextHeader: Uint8Array | undefined;
  if (next && d !== 0) {
    shift = Math.ceil(d / ALIGN) * ALIGN;
    let pad = shift - d;
    const raw = await readLocalHeaderBytes(src, next);
    const hasPadField = (padFieldOf(raw) ?? -1) >= 0;
    if (!hasPadField && pad > 0 && pad < 4) (pad += ALIGN), (shift += ALIGN);
    nextHeader = padLocalHeader(raw, pad, src.name, next);
  }

  // central directory
  const cd = await readExact(src, idx.centralDirectoryOffset, idx.centralDirectorySize);
  const records: Uint8Array[] = [];
  for (const e of idx.entries) {
    const rel = e.centralHeaderOffset - idx.centralDirectoryOffset;
    const raw = cd.subarray(rel, rel + e.centralHeaderLength);
    if (u32(raw, 0) !== SIG_CENTRAL) throw new CheckpointFormatError('bad-zip', src.name, 'a central directory record is damaged.', { offset: e.centralHeaderOffset });
    // The entry right after data.pkl moves by d (its header absorbs the padding, so its data moves
    // by `shift`); every later entry moves by `shift`.
    const offset = e === next ? e.localHeaderOffset + d : e.localHeaderOffset > entry.localHeaderOffset ? e.localHeaderOffset + shift : e.localHeaderOffset;
    records.push(e === entry ? rebuildCentral(raw, newCrc, newLen, newLen, offset) : rebuildCentral(raw, e.crc32, e.compressedSize, e.uncompressedSize, offset));
  }
  const newCd = concat(records);
  const newCdOffset = idx.centralDirectoryOffset + shift;
  const cdEnd = idx.centralDirectoryOffset + idx.centralDirectorySize;

  // end records
  const eocdRaw = await readExact(src, idx.eocdOffset, 22);
  const commentLen = u16(eocdRaw, 20);
  const needZip64 = idx.zip64EocdOffset !== undefined || newCdOffset >= MAX32 || newCd.length >= MAX32 || idx.entries.length >= 0xffff;
  const tail: Segment[] = [];
  const endStart = idx.zip64EocdOffset ?? idx.eocdOffset;
  tail.push({ kind: 'source', offset: cdEnd, length: endStart - cdEnd });
  const newZip64Offset = newCdOffset + newCd.length + (endStart - cdEnd);
  if (needZip64) {
    let rec: Uint8Array;
    if (idx.zip64EocdOffset !== undefined) {
      const head = await readExact(src, idx.zip64EocdOffset, 12);
      rec = await readExact(src, idx.zip64EocdOffset, 12 + u64(head, 4));
    } else {
      rec = new Uint8Array(56);
      setU32(rec, 0, SIG_ZIP64_EOCD);
      setU64(rec, 4, 44);
      setU16(rec, 12, 45);
      setU16(rec, 14, 45);
      setU64(rec, 24, idx.entries.length);
      setU64(rec, 32, idx.entries.length);
    }
    setU64(rec, 40, newCd.length);
    setU64(rec, 48, newCdOffset);
    const locator = new Uint8Array(20);
    setU32(locator, 0, SIG_ZIP64_LOCATOR);
    setU64(locator, 8, newZip64Offset);
    setU32(locator, 16, 1);
    tail.push({ kind: 'bytes', data: rec }, { kind: 'bytes', data: locator });
  }
  setU32(eocdRaw, 12, needZip64 && newCd.length >= MAX32 ? MAX32 : newCd.length);
  setU32(eocdRaw, 16, needZip64 && (newCdOffset >= MAX32 || u32(eocdRaw, 16) === MAX32) ? MAX32 : newCdOffset);
  tail.push({ kind: 'bytes', data: eocdRaw });
  tail.push({ kind: 'source', offset: idx.eocdOffset + 22, length: commentLen + idx.trailingBytes });

  const segments: Segment[] = [
    { kind: 'source', offset: 0, length: entry.localHeaderOffset },
    { kind: 'bytes', data: local },
    { kind: 'bytes', data: newData },
    descriptor ? { kind: 'bytes', data: descriptor } : { kind: 'source', offset: dataEnd, length: gapLen },
  ];
  if (next && nextHeader) {
    const nextHeaderLen = nextHeader.length - (shift - d);
    segments.push({ kind: 'bytes', data: nextHeader }, { kind: 'source', offset: next.localHeaderOffset + nextHeaderLen, length: idx.centralDirectoryOffset - (next.localHeaderOffset + nextHeaderLen) });
  } else if (next) {
    segments.push({ kind: 'source', offset: next.localHeaderOffset, length: idx.centralDirectoryOffset - next.localHeaderOffset });
  }
  segments.push({ kind: 'bytes', data: newCd }, ...tail);
  return { segments: normalizeSegments(segments), info: { shift, newCrc, oldCrc: entry.crc32 } };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, o), (o += p.length);
  return out;
}
