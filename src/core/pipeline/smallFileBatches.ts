/**
 * The small files of upcoming checkpoints, read together: one read for the small files of several
 * checkpoints where the platform can join files into one read (`FileAccess.readWholeMany`).
 *
 * Why: in Chromium every `Blob` read costs about 1-1.5 ms whatever its size (the browser process
 * opens the file and answers over IPC), and a run folder holds many small files (configs, JSON
 * states, small `torch.save` zips), so a drop of 1,000 checkpoints spent most of its time on
 * 5,600 reads. A read of one `Blob` made of 32 dropped files took 0.25 ms per file, against
 * 1.1-1.3 ms for a read of each (`npx tsx bench/blobReads.ts <folder>`, BENCHMARKS.md "Scale").
 * The bytes are the ones the parsers would read: files up to {@link WHOLE_FILE_BYTES} are read
 * whole anyway (cachingSource), and files the analysis never opens are left out.
 *
 * Checkpoints are grouped in plan order, the order the pipeline's lanes take them; asking for one
 * checkpoint's group also starts the next groups' reads, so reading overlaps parsing. A group's
 * bytes are dropped once all its checkpoints are done. When a joined read fails (a file removed or
 * changed since the drop), the group gives nothing and each file is read on its own, so every
 * file's own error still names it.
 */
import { WHOLE_FILE_BYTES } from '../bytes/cachingSource';
import type { CheckpointPlan } from '../folder/checkpointPlan';
import { neverTorchByName } from '../folder/plan';

/** At most this many files in one joined read (32: measured 0.25 ms per file; 8: 0.44 ms). */
export const FILES_PER_JOINED_READ = 32;
/** At most this many bytes in one joined read (4 MiB). */
export const BYTES_PER_JOINED_READ = 4 * 1024 * 1024;

/** Groups read ahead of the one asked for: the lanes never wait for a read while one is free. */
export const READ_AHEAD_GROUPS = 2;

/** Reads several whole files in one read, giving each file's bytes in the order of `handles`. */
export type ReadWholeMany<H> = (handles: readonly H[]) => Promise<Uint8Array[]>;

interface Group<H> {
  readonly paths: string[];
  readonly handles: H[];
  /** Checkpoints of the group not yet released. */
  left: number;
  bytes?: Promise<ReadonlyMap<string, Uint8Array>>;
}

const NOTHING: ReadonlyMap<string, Uint8Array> = new Map();

/** The small files of a plan's checkpoints, grouped and read a group at a time. */
export class SmallFileBatches<H> {
  private readonly groupOf: number[] = [];
  private readonly groups: Group<H>[] = [];

  /**
   * @param checkpoints the plan's checkpoints, in the order they will be asked for
   * @param handleOf the handle and size (bytes) of a file of the drop, or undefined for a path not in it
   * @param readWholeMany the platform's joined read
   */
  constructor(
    checkpoints: readonly CheckpointPlan[],
    handleOf: (path: string) => { handle: H; size: number } | undefined,
    private readonly readWholeMany: ReadWholeMany<H>,
  ) {
    let current: Group<H> | undefined;
    let bytes = 0;
    const taken = new Set<string>();
    for (const c of checkpoints) {
      const small: { path: string; handle: H; size: number }[] = [];
      for (const f of c.files) {
        // a file no convention claimed that is not a torch file (a README, a run's own JSON) is
        // never opened by the analysis: measured over fixtures/ and realworld2/ with the CLI
        if (f.role === 'other' && neverTorchByName(f.path)) continue;
        const h = handleOf(f.path);
        if (h && h.size > 0 && h.size <= WHOLE_FILE_BYTES && !taken.has(f.path)) small.push({ path: f.path, ...h });
      }
      if (small.length === 0) {
        this.groupOf.push(-1);
        continue;
      }
      const size = small.reduce((a, f) => a + f.size, 0);
      if (!current || current.paths.length + small.length > FILES_PER_JOINED_READ || bytes + size > BYTES_PER_JOINED_READ) {
        current = { paths: [], handles: [], left: 0 };
        bytes = 0;
        this.groups.push(current);
      }
      for (const f of small) {
        taken.add(f.path);
        current.paths.push(f.path);
        current.handles.push(f.handle);
      }
      bytes += size;
      current.left++;
      this.groupOf.push(this.groups.length - 1);
    }
  }

  /** Number of joined reads the plan needs (one per group). */
  get groupCount(): number {
    return this.groups.length;
  }

  /**
   * The bytes of checkpoint `index`'s small files by path (possibly with other checkpoints' files of
   * its group); empty when it has none or the joined read failed. Starts the next
   * {@link READ_AHEAD_GROUPS} groups' reads too.
   * Never rejects.
   */
  take(index: number): Promise<ReadonlyMap<string, Uint8Array>> {
    const g = this.groupOf[index] ?? -1;
    if (g < 0) return Promise.resolve(NOTHING);
    const bytes = this.start(g);
    for (let k = 1; k <= READ_AHEAD_GROUPS; k++) void this.start(g + k);
    return bytes;
  }

  /** Checkpoint `index` is done: its group's bytes are let go once every checkpoint of it is. */
  release(index: number): void {
    const group = this.groups[this.groupOf[index] ?? -1];
    if (!group) return;
    if (--group.left === 0) group.bytes = Promise.resolve(NOTHING);
  }

  private start(g: number): Promise<ReadonlyMap<string, Uint8Array>> {
    const group = this.groups[g];
    if (!group) return Promise.resolve(NOTHING);
    group.bytes ??= this.readWholeMany(group.handles).then(
      (parts) => (parts.length === group.paths.length ? new Map(group.paths.map((p, i) => [p, parts[i]])) : NOTHING),
      () => NOTHING,
    );
    return group.bytes;
  }
}
