/**
 * Read the first bytes of the dropped files whose names do not tell what they are (`ckpt.t7`,
 * `model.pt.1`, `optimizer` with no extension), so that the planner recognises torch files by
 * content, not extension. One read of {@link SNIFF_BYTES} bytes per such file.
 */
import type { ByteSource } from '../bytes/byteSource';
import { sniff, type SniffedKind } from '../torch/sniff';
import type { DroppedFile } from './checkpointPlan';
import { needsSniff } from './plan';

/** Bytes read from the head of each file (enough for the zip and pickle signatures). */
export const SNIFF_BYTES = 16;

/**
 * What the first bytes of each file {@link needsSniff} picks say it is, by path. A file that
 * cannot be read is left out (the planner then ignores it, as before).
 */
export async function sniffDrop(files: readonly DroppedFile[], open: (path: string) => ByteSource): Promise<Map<string, SniffedKind>> {
  const out = new Map<string, SniffedKind>();
  for (const f of files) {
    if (!needsSniff(f.path) || f.size === 0) continue;
    try {
      const src = open(f.path);
      out.set(f.path, sniff(await src.read(0, Math.min(SNIFF_BYTES, src.size)), src.size));
    } catch {
      // unreadable: not planned as a checkpoint; nothing else depends on it
    }
  }
  return out;
}
