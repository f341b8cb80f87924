/** Write a segmented output (see `src/core/repair/segments.ts`) to a file, streaming source ranges. */
import { open } from 'node:fs/promises';
import type { ByteSource } from '../core/bytes/byteSource';
import type { Segment } from '../core/repair/segments';

const CHUNK = 8 * 1024 * 1024;

/** Write `segments` of `original` to `path` (created or truncated). Memory: one 8 MiB chunk at a time. */
export async function writeSegments(path: string, original: ByteSource, segments: readonly Segment[]): Promise<void> {
  const out = await open(path, 'w');
  try {
    for (const s of segments) {
      if (s.kind === 'bytes') await out.write(s.data);
      else {
        for (let o = 0; o < s.length; o += CHUNK) {
          await out.write(await original.read(s.offset + o, Math.min(CHUNK, s.length - o)));
        }
      }
    }
  } finally {
    await out.close();
  }
}
