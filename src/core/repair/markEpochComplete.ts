/**
 * "Mark epoch N complete": set `epoch = N` and `step = 0` in a training state dict, as the seed's
 * repair tool `scripts/fix_checkpoint_epoch.py` does, but as a byte-level patch of the two int
 * opcodes (found through the spans the pickle machine records) instead of a full re-save. The
 * output is segments: ranges of the original plus a few new bytes (see `segments.ts`).
 */
import type { ByteSource } from '../bytes/byteSource';
import { CheckpointFormatError } from '../errors';
import { dictGet, type PyValue } from '../pickle/values';
import { scanGlobals } from '../safety/scan';
import type { TorchFile } from '../torch/torchFile';
import { applyEdits, planIntEdits, type IntTarget } from './pickleEdits';
import { spliceSegments, segmentsLength, type Segment } from './segments';
import { relayoutZip } from './zipRelayout';

/** Largest epoch the repair accepts (a typo guard, far above any real run). */
export const MAX_EPOCH = 1_000_000;

/** One field the repair changes. */
export interface RepairChange {
  readonly field: 'epoch' | 'step';
  readonly before: number;
  readonly after: number;
}

/** A planned repair, not yet verified. */
export interface RepairPlan {
  readonly file: string;
  readonly segments: Segment[];
  /** Output size in bytes. */
  readonly size: number;
  readonly changes: RepairChange[];
  /** `in-place`: same length, only opcode bytes and checksums change; `resized`: a wider opcode was spliced in. */
  readonly mode: 'in-place' | 'resized';
  /** Bytes every later zip entry moved by (0 in place). */
  readonly shift: number;
  /** What a resume does after the repair, e.g. "start epoch 2". */
  readonly resumeAfter: string;
  readonly newEpoch: number;
}

/** Result of checking a user's epoch input. */
export type EpochInput = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly message: string };

/** Validate the epoch a user typed: a whole number from 1 to {@link MAX_EPOCH}. */
export function parseEpochInput(text: string): EpochInput {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { ok: false, message: 'Enter a whole number of epochs, for example 1.' };
  const n = Number(t);
  if (n < 1) return { ok: false, message: 'Epochs count from 1: enter 1 or more.' };
  if (n > MAX_EPOCH) return { ok: false, message: `That is more than ${MAX_EPOCH.toLocaleString('en-US')} epochs: check the number.` };
  return { ok: true, value: n };
}

function intField(root: PyValue, key: 'epoch' | 'step', file: string): { value: number; target: PyValue } {
  const v = dictGet(root, key);
  if (!v || v.kind !== 'int' || !v.span) {
    throw new CheckpointFormatError('missing-record', file, `this file has no top-level integer ${key}, so it cannot be marked complete.`);
  }
  return { value: Number(v.value), target: v };
}

/**
 * Plan the patch that marks `epoch` complete (epoch = N, step = 0).
 * @throws CheckpointFormatError when the root is not a dict with int `epoch` and `step`, when both
 *         are one pickled value (a memo reference), or the archive cannot be re-laid; RangeError
 *         for an epoch outside 1..MAX_EPOCH
 */
export async function planMarkEpochComplete(src: ByteSource, file: TorchFile, epoch: number): Promise<RepairPlan> {
  if (!Number.isInteger(epoch) || epoch < 1 || epoch > MAX_EPOCH) throw new RangeError(`epoch must be a whole number from 1 to ${MAX_EPOCH}`);
  const dangerous = scanGlobals(file.pickles.map((p) => ({ file: src.name, member: p.member, label: p.label, globals: p.result.globals }))).find((f) => f.verdict === 'dangerous');
  if (dangerous) {
    throw new CheckpointFormatError('not-a-checkpoint', src.name, `not repaired: this file imports ${dangerous.name}, which would run code when loaded; ckptview does not write a new copy of it.`);
  }
  if (file.integrity.length) {
    throw new CheckpointFormatError(file.integrity[0].code, src.name, `not repaired: ${file.integrity[0].message}`);
  }
  const e = intField(file.value, 'epoch', src.name);
  const s = intField(file.value, 'step', src.name);
  if (e.target === s.target || e.target.span!.offset === s.target.span!.offset) {
    // `step` fetched from the memo the very int object `epoch` is (PUT after the epoch, GET for
    // the step: pickle never writes that, a hand-edited or damaged file may): one opcode holds both.
    throw new CheckpointFormatError('bad-pickle', src.name, 'epoch and step are one and the same pickled value (the step is a memo reference to the epoch\'s integer), so they cannot be set separately: this file is not repaired.', { offset: e.target.span!.offset + file.main.fileOffset, member: file.zip?.dataPkl.name });
  }
  const targets: IntTarget[] = [
    { field: 'epoch', span: e.target.span!, after: epoch },
    { field: 'step', span: s.target.span!, after: 0 },
  ];
  const changes: RepairChange[] = [
    { field: 'epoch', before: e.value, after: epoch },
    { field: 'step', before: s.value, after: 0 },
  ];
  const patch = planIntEdits(file.mainBytes, file.main.result, targets);
  let segments: Segment[];
  let shift = 0;
  if (file.format === 'zip' && file.zip) {
    const relaid = await relayoutZip(src, file.zip, applyEdits(file.mainBytes, patch.edits));
    segments = relaid.segments;
    shift = relaid.info.shift;
  } else {
    // legacy / bare pickle: the main pickle's offsets are file offsets; what follows just moves
    segments = spliceSegments(src.size, patch.edits.map((x) => ({ offset: x.offset + file.main.fileOffset, length: x.length, data: x.data })));
    shift = patch.delta;
  }
  return {
    file: src.name,
    segments,
    size: segmentsLength(segments),
    changes,
    mode: patch.inPlace ? 'in-place' : 'resized',
    shift,
    resumeAfter: `start epoch ${epoch + 1}`,
    newEpoch: epoch,
  };
}
