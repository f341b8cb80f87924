/**
 * Check every entry of an archive against its CRC-32 (PKWARE APPNOTE.TXT 4.4.7), reading the data
 * in chunks: memory stays at one chunk whatever the entry size. This reads the whole file, so it
 * is an explicit action, not part of a summary.
 */
import type { ByteSource } from '../bytes/byteSource';
import { crc32Update } from './crc32';
import { readLocalHeader } from './zipReader';
import type { ZipIndex } from './zipTypes';

/** Bytes read per step. */
const CHUNK = 8 * 1024 * 1024;

/** The outcome of {@link verifyCrcs}. */
export interface CrcReport {
  /** Entries checked. */
  readonly checked: number;
  /** Bytes read (stored entries' data). */
  readonly bytes: number;
  /** Entries whose data does not match, or could not be read, each with a sentence. */
  readonly bad: { readonly name: string; readonly message: string }[];
  /** Deflated entries, whose CRC covers the inflated data and are not checked here. */
  readonly skipped: string[];
}

/**
 * CRC-check every stored entry of `index`.
 * @param onProgress called with bytes done and bytes in total
 */
export async function verifyCrcs(src: ByteSource, index: ZipIndex, onProgress?: (done: number, total: number) => void): Promise<CrcReport> {
  const bad: { name: string; message: string }[] = [];
  const skipped: string[] = [];
  const total = index.entries.reduce((n, e) => n + (e.method === 0 ? e.compressedSize : 0), 0);
  let done = 0;
  let checked = 0;
  for (const e of index.entries) {
    if (e.method !== 0) {
      skipped.push(e.name);
      continue;
    }
    try {
      const { dataOffset } = await readLocalHeader(src, e);
      let crc = 0;
      for (let o = 0; o < e.compressedSize; o += CHUNK) {
        const part = await src.read(dataOffset + o, Math.min(CHUNK, e.compressedSize - o));
        if (part.length === 0) throw new Error('the file ends inside this entry');
        crc = crc32Update(crc, part);
        done += part.length;
        onProgress?.(done, total);
      }
      checked++;
      if (crc !== e.crc32) bad.push({ name: e.name, message: `${e.name} is corrupt: its CRC-32 does not match the archive's record (a bit flip or a damaged copy).` });
    } catch (err) {
      bad.push({ name: e.name, message: `${e.name} could not be read: ${(err as Error).message}` });
    }
  }
  return { checked, bytes: done, bad, skipped };
}
