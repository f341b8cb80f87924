/**
 * Benchmark inputs, written into a temp folder and deleted by the caller: EnStack
 * training_state.pth files of a given size written by real PyTorch (`scripts/make_fixtures.py
 * --large`: AdamW state of 4 square layers, epoch 1 step 1000 of 1270, numpy float64 metrics),
 * a copy without the ZIP64 end records for JSZip, and a folder of 100 checkpoint folders.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, ftruncateSync, linkSync, mkdirSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** The system Python with Debian's torch. */
export const PYTHON = process.env.TORCH_PYTHON ?? '/usr/bin/python3';

/** What make_fixtures.py --large printed (without --verify: the values it wrote). */
export interface Generated {
  readonly path: string;
  readonly bytes: number;
  readonly epoch: number;
  readonly step: number;
  readonly total_batches: number;
  readonly progress_percent: number;
  readonly remaining_batches: number;
  readonly resume: string;
  readonly optimizer_param_states: number;
  /** Milliseconds the generation took. */
  readonly ms: number;
}

/**
 * Write `<dir>/last_checkpoint/training_state.pth` of about `megabytes` MiB with PyTorch.
 * @throws Error with Python's stderr when generation fails
 */
export function generateCheckpoint(root: string, dir: string, megabytes: number): Generated {
  const folder = join(dir, 'last_checkpoint');
  mkdirSync(folder, { recursive: true });
  const path = join(folder, 'training_state.pth');
  const t = performance.now();
  const out = execFileSync(PYTHON, [join(root, 'scripts', 'make_fixtures.py'), '--large', path, '--megabytes', String(megabytes), '--no-verify'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 16 * 1024 * 1024,
  });
  const lines = out.trim().split('\n');
  return { ...(JSON.parse(lines[lines.length - 1]) as Omit<Generated, 'ms'>), ms: performance.now() - t };
}

/** The last `n` bytes of a file. */
function tail(path: string, n: number): { bytes: Uint8Array; offset: number } {
  const size = statSync(path).size;
  const offset = Math.max(0, size - n);
  const fd = openSync(path, 'r');
  try {
    const bytes = new Uint8Array(size - offset);
    readSync(fd, bytes, 0, bytes.length, offset);
    return { bytes, offset };
  } finally {
    closeSync(fd);
  }
}

function lastIndexOf(b: Uint8Array, sig: number[], before = b.length): number {
  for (let i = Math.min(before, b.length - sig.length); i >= 0; i--) if (sig.every((x, j) => b[i + j] === x)) return i;
  return -1;
}

/** ZIP64 facts of a zip file: whether the ZIP64 end records are present and the offsets need them. */
export interface Zip64Info {
  /** A ZIP64 end-of-central-directory record and locator precede the classic end record. */
  readonly hasZip64Records: boolean;
  /** File offset of the ZIP64 end record, when present. */
  readonly zip64EndOffset?: number;
  /** File offset of the classic end record. */
  readonly endOffset: number;
  /** The file is larger than 4 GiB: offsets past 0xFFFFFFFF can only be stored in ZIP64 fields. */
  readonly needsZip64: boolean;
}

/** Read the end records of a zip file (APPNOTE.TXT 4.3.14-4.3.16). */
export function zip64Info(path: string): Zip64Info {
  const { bytes, offset } = tail(path, 66_000);
  const end = lastIndexOf(bytes, [0x50, 0x4b, 0x05, 0x06]);
  if (end < 0) throw new Error(`${path}: no end of central directory record`);
  const loc = lastIndexOf(bytes, [0x50, 0x4b, 0x06, 0x07], end);
  let zip64EndOffset: number | undefined;
  if (loc >= 0 && loc + 20 === end) {
    const dv = new DataView(bytes.buffer, bytes.byteOffset + loc);
    zip64EndOffset = Number(dv.getBigUint64(8, true));
  }
  return { hasZip64Records: zip64EndOffset !== undefined, zip64EndOffset, endOffset: offset + end, needsZip64: statSync(path).size > 0xffffffff };
}

/**
 * Copy a torch archive without its ZIP64 end records (the ZIP64 end record and locator that
 * PyTorch writes before the classic end record even when nothing needs them). The result is the
 * same classic zip, byte for byte otherwise; only possible below 4 GiB.
 * @returns false when the file has no ZIP64 records to remove
 */
export function copyWithoutZip64Records(src: string, dst: string): boolean {
  const info = zip64Info(src);
  if (!info.hasZip64Records || info.needsZip64 || info.zip64EndOffset === undefined) return false;
  const { bytes, offset } = tail(src, statSync(src).size - info.endOffset);
  if (offset !== info.endOffset) throw new Error('unexpected tail');
  copyFileSync(src, dst);
  const fd = openSync(dst, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, info.zip64EndOffset);
    ftruncateSync(fd, info.zip64EndOffset + bytes.length);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * A run folder of `count` EnStack checkpoint folders (`checkpoint_epoch1_step<k>/`), each holding
 * `state` hard-linked as training_state.pth (no extra disk space).
 */
export function hundredFolders(dir: string, state: string, count: number): string {
  const run = join(dir, `run_${count}_checkpoints`);
  for (let i = 0; i < count; i++) {
    const f = join(run, `checkpoint_epoch1_step${String((i + 1) * 10).padStart(4, '0')}`);
    mkdirSync(f, { recursive: true });
    linkSync(state, join(f, 'training_state.pth'));
  }
  return run;
}
