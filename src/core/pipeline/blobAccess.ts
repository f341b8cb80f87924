/**
 * {@link FileAccess} over `Blob`s (the page's dropped `File`s, in the worker; `Blob` exists in
 * Node 20 too): a stored zip entry is a `Blob.slice` of the archive, an inflated one a new `Blob`.
 */
import { blobSource } from '../bytes/byteSource';
import type { FileAccess } from './types';

/** Blobs hold no handles: sessions have nothing to close. */
export const blobAccess: FileAccess<Blob> = {
  session: () => ({ open: (blob, name) => blobSource(blob, name), close: async () => undefined }),
  window: (blob, offset, size) => blob.slice(offset, offset + size),
  fromBytes: (bytes) => new Blob([bytes as Uint8Array<ArrayBuffer>]),
};
