/**
 * Put a verified repair on disk next to a backup, never leaving a half-written checkpoint:
 *
 * 1. the repaired bytes go to a temp file in the same folder: a kernel file copy of the original
 *    (`copyFile`, a reflink where the file system has them) with the few patched bytes written over
 *    it when the repair keeps every byte in place, else the segments streamed in 8 MiB chunks;
 * 2. the temp file is flushed (fsync) and read back through the core (epoch and step as planned);
 * 3. `<name>.backup` is created: a hard link to the original file (the untouched original bytes,
 *    no copy made), or a byte copy when links are not possible or `copyBackup` is set;
 * 4. the temp file is renamed over the original (atomic on POSIX file systems).
 *
 * Memory: the patched bytes plus one 8 MiB chunk when streaming; never the file.
 */
import { randomBytes } from 'node:crypto';
import { constants, existsSync } from 'node:fs';
import { copyFile, link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ByteSource } from '../core/bytes/byteSource';
import type { RepairPlan } from '../core/repair/markEpochComplete';
import type { Segment } from '../core/repair/segments';
import { dictGet } from '../core/pickle/values';
import { loadTorchFile } from '../core/torch/loadTorchFile';
import { openFileSource } from '../node/fileSource';
import { writeSegments } from '../node/writeSegments';

/** Options of {@link writeRepairedFile}. */
export interface WriteOptions {
  /** Replace an existing `<name>.backup`. */
  readonly force: boolean;
  /** Always write the backup as a byte copy instead of a hard link to the original. */
  readonly copyBackup: boolean;
  /**
   * Check the written temp file (path on disk) before it replaces the original; throws when it does
   * not read back as planned. Default: the epoch/step read-back of mark-complete.
   */
  readonly readBack?: (tempPath: string) => Promise<void>;
}

/** What {@link writeRepairedFile} writes: segments of the original and the output size in bytes. */
export type WritableRepair = Pick<RepairPlan, 'segments' | 'size'> & Partial<Pick<RepairPlan, 'newEpoch'>>;

/** What was written. */
export interface WriteResult {
  readonly backupPath: string;
  /** `link`: the original file kept under the backup name; `copy`: a byte copy. */
  readonly backupKind: 'link' | 'copy';
  /** `patch`: kernel copy + patched bytes; `stream`: segments streamed (the archive was re-laid). */
  readonly writeKind: 'patch' | 'stream';
  /** Milliseconds spent per phase: writing the temp file, flushing it to disk, reading it back, making the backup, renaming. */
  readonly phases: { write: number; sync: number; readBack: number; backup: number; rename: number };
}

/** The backup path of a file: `<path>.backup`. */
export function backupPathOf(path: string): string {
  return `${path}.backup`;
}

/** When every range of the original stays at its own offset, the output is the original with literal bytes written over it. */
function patchesInPlace(segments: readonly Segment[], originalSize: number): { offset: number; data: Uint8Array }[] | undefined {
  const patches: { offset: number; data: Uint8Array }[] = [];
  let at = 0;
  for (const s of segments) {
    if (s.kind === 'source') {
      if (s.offset !== at) return undefined;
      at += s.length;
    } else {
      patches.push({ offset: at, data: s.data });
      at += s.data.length;
    }
  }
  return at === originalSize ? patches : undefined;
}

function tempName(dir: string, base: string, what: string): string {
  return join(dir, `.${base}.ckptview-${what}-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

async function flush(path: string): Promise<void> {
  const h = await open(path, 'r+');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/** Read the written file back through the core: it must parse and hold the planned epoch and step 0. */
async function readBack(path: string, name: string, plan: WritableRepair): Promise<void> {
  const f = await openFileSource(path, name);
  try {
    if (f.size !== plan.size) throw new Error(`the written file has ${f.size} bytes, not the planned ${plan.size}`);
    const t = await loadTorchFile(f);
    const epoch = dictGet(t.value, 'epoch');
    const step = dictGet(t.value, 'step');
    if (epoch?.kind !== 'int' || Number(epoch.value) !== plan.newEpoch || step?.kind !== 'int' || Number(step.value) !== 0) {
      throw new Error('the written file does not read back with the planned epoch and step');
    }
    if (t.integrity.length) throw new Error(`the written file fails an integrity check: ${t.integrity[0].message}`);
  } finally {
    await f.close();
  }
}

/**
 * Write `plan` (a verified repair of the file at `path`, read through `src`) in place of `path`,
 * keeping the original as `<path>.backup`.
 * @throws Error when the backup exists and `force` is not set, or any file operation fails; the
 *         original is then unchanged and no temp file is left behind
 */
export async function writeRepairedFile(path: string, src: ByteSource, plan: WritableRepair, o: WriteOptions): Promise<WriteResult> {
  const dir = dirname(path);
  const base = basename(path);
  const backupPath = backupPathOf(path);
  if (!o.force && existsSync(backupPath)) throw new Error(`${backupPath} already exists; give --force to replace it`);
  const tmp = tempName(dir, base, 'repair');
  const backupTmp = tempName(dir, base, 'backup');
  let writeKind: WriteResult['writeKind'] = 'stream';
  let backupKind: WriteResult['backupKind'] = 'copy';
  const phases = { write: 0, sync: 0, readBack: 0, backup: 0, rename: 0 };
  let t = performance.now();
  const lap = (phase: keyof typeof phases): void => {
    const now = performance.now();
    phases[phase] += now - t;
    t = now;
  };
  try {
    const patches = patchesInPlace(plan.segments, src.size);
    if (patches) {
      writeKind = 'patch';
      await copyFile(path, tmp, constants.COPYFILE_FICLONE);
      const h = await open(tmp, 'r+');
      try {
        for (const p of patches) await h.write(p.data, 0, p.data.length, p.offset);
        lap('write');
        await h.sync();
        lap('sync');
      } finally {
        await h.close();
      }
    } else {
      await writeSegments(tmp, src, plan.segments);
      lap('write');
      await flush(tmp);
      lap('sync');
    }
    if (o.readBack) await o.readBack(tmp);
    else await readBack(tmp, src.name, plan);
    lap('readBack');
    if (!o.copyBackup) {
      try {
        await link(path, backupTmp);
        backupKind = 'link';
      } catch {
        // file systems without hard links (FAT, some FUSE mounts such as Google Drive): copy instead
      }
    }
    if (backupKind === 'copy') {
      await copyFile(path, backupTmp, constants.COPYFILE_FICLONE);
      await flush(backupTmp);
    }
    if (!o.force && existsSync(backupPath)) throw new Error(`${backupPath} appeared while repairing; give --force to replace it`);
    lap('backup');
    await rename(backupTmp, backupPath);
    await rename(tmp, path);
    // make the renames durable where the platform allows syncing a directory
    await open(dir, 'r').then((h) => h.sync().finally(() => h.close()), () => undefined).catch(() => undefined);
    lap('rename');
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    await unlink(backupTmp).catch(() => undefined);
    throw e;
  }
  return { backupPath, backupKind, writeKind, phases };
}
