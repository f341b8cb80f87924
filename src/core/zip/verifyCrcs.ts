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
  /** Stopped before the end (the signal was aborted): only `checked` entries were checked. */
  readonly stopped: boolean;
  /** Stored entries not checked because the check was stopped. */
  readonly unchecked: number;
}

/** Options of {@link verifyCrcs}. */
export interface VerifyCrcsOptions {
  /** Called with bytes done and bytes in total (stored entries' data), after each chunk. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Aborting it stops the check between chunks; the report then says `stopped`. */
  readonly signal?: AbortSignal;
}

/**
 * CRC-check every stored entry of `index`, in chunks of 8 MiB (memory: one chunk). Never throws
 * for a bad entry: each is in `bad` with its reason.
 */
export async function verifyCrcs(src: ByteSource, index: ZipIndex, options: VerifyCrcsOptions = {}): Promise<CrcReport> {
  const { onProgress, signal } = options;
  const bad: { name: string; message: string }[] = [];
  const skipped: string[] = [];
  const stored = index.entries.filter((e) => e.method === 0);
  const total = stored.reduce((n, e) => n + e.compressedSize, 0);
  let done = 0;
  let checked = 0;
  for (const e of index.entries) {
    if (e.method !== 0) {
      skipped.push(e.name);
      continue;
    }
    if (signal?.aborted) break;
    try {
      const { dataOffset } = await readLocalHeader(src, e);
      let crc = 0;
      let o = 0;
      for (; o < e.compressedSize; o += CHUNK) {
        if (signal?.aborted) break;
        const part = await src.read(dataOffset + o, Math.min(CHUNK, e.compressedSize - o));
        if (part.length === 0) throw new Error('the file ends inside this entry');
        crc = crc32Update(crc, part);
        done += part.length;
        onProgress?.(done, total);
      }
      if (o < e.compressedSize) break; // stopped inside this entry: neither checked nor bad
      checked++;
      if (crc !== e.crc32) bad.push({ name: e.name, message: `${e.name} is corrupt: its CRC-32 does not match the archive's record (a bit flip or a damaged copy).` });
    } catch (err) {
      bad.push({ name: e.name, message: `${e.name} could not be read: ${(err as Error).message}` });
    }
  }
  const stopped = signal?.aborted === true && checked + bad.length < stored.length;
  return { checked, bytes: done, bad, skipped, stopped, unchecked: stopped ? stored.length - checked - bad.length : 0 };
}
