/**
 * Dropped .zip archives (e.g. what Google Drive gives when downloading a folder): list their files
 * with the project's random-access zip reader, so a stored entry is a window of the archive (never
 * copied) and a deflated one is inflated only when it is small enough. A torch.save file renamed
 * to .zip is recognised and left alone.
 */
import type { ByteSource } from '../bytes/byteSource';
import { CheckpointFormatError } from '../errors';
import { readEntry, readLocalHeader, readZipIndex } from '../zip/zipReader';
import type { ZipEntry, ZipIndex } from '../zip/zipTypes';

/** Largest deflated entry inflated into memory, in bytes. */
export const MAX_INFLATED_ENTRY = 512 * 1024 * 1024;
/** Largest total inflated from one archive, in bytes (zip-bomb guard). */
export const MAX_INFLATED_TOTAL = 1024 * 1024 * 1024;
/** Largest compression ratio accepted for an entry (zip-bomb guard). */
export const MAX_RATIO = 1000;

/** One file inside an archive. */
export type ArchiveFile =
  /** Stored: the bytes are `[offset, offset + size)` of the archive. */
  | { readonly kind: 'window'; readonly path: string; readonly offset: number; readonly size: number }
  /** Deflated and inflated here. */
  | { readonly kind: 'bytes'; readonly path: string; readonly bytes: Uint8Array }
  /** Could not be taken out; `message` says why in words. */
  | { readonly kind: 'skipped'; readonly path: string; readonly message: string };

/** True when an archive's entries are those of a torch.save file (a top folder with data.pkl). */
export function isTorchArchive(index: ZipIndex): boolean {
  const first = index.entries[0]?.name ?? '';
  const top = first.includes('/') ? first.slice(0, first.indexOf('/') + 1) : '';
  return index.entries.some((e) => e.name === `${top}data.pkl`) && index.entries.every((e) => e.name.startsWith(top));
}

const JUNK = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)/;

/**
 * The files of an archive, paths as stored (folders dropped), under `prefix/` when the archive has
 * no single top folder of its own.
 * @throws CheckpointFormatError when the archive itself cannot be read
 */
export async function listArchive(src: ByteSource, prefix: string): Promise<ArchiveFile[]> {
  const index = await readZipIndex(src);
  const names = index.entries.map((e) => e.name).filter((n) => !n.endsWith('/') && !JUNK.test(n));
  const tops = new Set(names.map((n) => n.split('/')[0]));
  const lead = tops.size === 1 && names.every((n) => n.includes('/')) ? '' : `${prefix}/`;
  const out: ArchiveFile[] = [];
  let inflated = 0;
  for (const e of index.entries) {
    if (e.name.endsWith('/') || JUNK.test(e.name)) continue;
    const path = `${lead}${e.name}`.replace(/^\/+/, '');
    if (path.split('/').includes('..')) {
      out.push({ kind: 'skipped', path, message: 'its name points outside the archive (..); skipped' });
      continue;
    }
    out.push(await takeOut(src, e, path, () => inflated, (n) => (inflated += n)));
  }
  return out;
}

async function takeOut(src: ByteSource, e: ZipEntry, path: string, total: () => number, add: (n: number) => void): Promise<ArchiveFile> {
  if (e.flags & 1) return { kind: 'skipped', path, message: 'it is encrypted in the archive; extract it with its password and drop the folder' };
  if (e.method === 0) {
    const local = await readLocalHeader(src, e);
    if (local.dataOffset + e.compressedSize > src.size) return { kind: 'skipped', path, message: 'the archive ends before this file does: the download was cut short' };
    return { kind: 'window', path, offset: local.dataOffset, size: e.compressedSize };
  }
  if (e.method !== 8) return { kind: 'skipped', path, message: `it uses compression method ${e.method}, which is not read; extract the archive and drop the folder` };
  if (e.uncompressedSize > MAX_INFLATED_ENTRY) {
    return { kind: 'skipped', path, message: `it is compressed inside the archive and ${Math.round(e.uncompressedSize / 1048576)} MB unpacked, more than the ${MAX_INFLATED_ENTRY / 1048576} MB unpacked in the browser; extract the archive and drop the folder instead` };
  }
  if (e.compressedSize > 0 && e.uncompressedSize / e.compressedSize > MAX_RATIO) {
    return { kind: 'skipped', path, message: `it would unpack to ${e.uncompressedSize} bytes from ${e.compressedSize}: a zip bomb, not read` };
  }
  if (total() + e.uncompressedSize > MAX_INFLATED_TOTAL) {
    return { kind: 'skipped', path, message: `the archive unpacks to more than ${MAX_INFLATED_TOTAL / 1073741824} GB; extract it and drop the folder instead` };
  }
  try {
    const bytes = await readEntry(src, e, { maxUncompressed: Math.min(MAX_INFLATED_ENTRY, e.uncompressedSize) });
    add(bytes.length);
    return { kind: 'bytes', path, bytes };
  } catch (err) {
    return { kind: 'skipped', path, message: err instanceof CheckpointFormatError ? err.message : (err as Error).message };
  }
}
