/**
 * Read the first bytes of the dropped files whose names do not tell what they are (`ckpt.t7`,
 * `model.pt.1`, `optimizer` with no extension), so that the planner recognises torch files by
 * content, not extension: anything `torch.load` could open (`safety/loadable.ts`) is planned and
 * scanned. One read of {@link SNIFF_BYTES} bytes per such file.
 */
import type { ByteSource } from '../bytes/byteSource';
import { LOADABLE_HEAD_BYTES, looksLoadableByTorch } from '../safety/loadable';
import { sniff, type SniffedKind } from '../torch/sniff';
import type { DroppedFile } from './checkpointPlan';
import { needsSniff } from './plan';

/** Bytes read from the head of each file: a tar header's worth, which covers the zip and pickle signatures too. */
export const SNIFF_BYTES = LOADABLE_HEAD_BYTES;

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
      const head = await src.read(0, Math.min(SNIFF_BYTES, src.size));
      // what torch.load could open (zip, pre-0.4 tar, a pickle from any opcode) is planned as a torch file and scanned
      const kind = sniff(head, src.size);
      out.set(f.path, kind === 'zip' || kind === 'pickle' || !looksLoadableByTorch(head, src.size) ? kind : 'pickle');
    } catch {
      // unreadable: not planned as a checkpoint; nothing else depends on it
    }
  }
  return out;
}
