/**
 * {@link FileAccess} over `Blob`s (the page's dropped `File`s, in the worker; `Blob` exists in
 * Node 20 too): a stored zip entry is a `Blob.slice` of the archive, an inflated one a new `Blob`;
 * several small files are read as one `Blob` made of them.
 */
import { blobSource } from '../bytes/byteSource';
import type { FileAccess } from './types';

/** Blobs hold no handles: sessions have nothing to close. */
export const blobAccess: FileAccess<Blob> = {
  session: () => ({ open: (blob, name) => blobSource(blob, name), close: async () => undefined }),
  window: (blob, offset, size) => blob.slice(offset, offset + size),
  fromBytes: (bytes) => new Blob([bytes as Uint8Array<ArrayBuffer>]),
  // one Blob made of the files: one read for all of them (in Chromium a read costs ~1 ms whatever
  // its size; 32 files joined cost 0.25 ms each, bench/blobReads.ts)
  readWholeMany: async (blobs) => {
    const all = new Uint8Array(await new Blob(blobs as Blob[]).arrayBuffer());
    const parts: Uint8Array[] = [];
    let at = 0;
    for (const b of blobs) parts.push(all.subarray(at, (at += b.size)));
    if (at !== all.length) throw new Error(`joined read gave ${all.length} bytes, not ${at}`);
    return parts;
  },
};
