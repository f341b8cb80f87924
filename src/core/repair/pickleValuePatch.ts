/**
 * Set ints and bools anywhere in a torch.save file's main pickle, found by their path in the value
 * tree (`['extra_state', 'train_iterator', 'epoch']`), by patching the opcodes the pickle machine
 * recorded spans for. Ints: `pickleEdits.ts` (in place when the new value fits the old opcode, else
 * a wider opcode spliced in and the zip re-laid by `zipRelayout.ts`). Bools: NEWTRUE / NEWFALSE
 * swap in place (pickletools: protocol 2 `NEWTRUE` 0x88, `NEWFALSE` 0x89); the text `I01`/`I00`
 * forms of protocols 0-1 are rewritten in place too.
 */
import type { ByteSource } from '../bytes/byteSource';
import { CheckpointFormatError } from '../errors';
import { OP } from '../pickle/opcodes';
import type { PyValue, Span } from '../pickle/values';
import { scanGlobals } from '../safety/scan';
import type { TorchFile } from '../torch/torchFile';
import type { PickleValueTarget } from './offers';
import { RepairRefused } from './offers';
import { applyEdits, planIntEdits, type ByteEdit, type IntTarget } from './pickleEdits';
import { segmentsLength, spliceSegments, type Segment } from './segments';
import { relayoutZip } from './zipRelayout';

/** The patched file as segments of the original plus new bytes. */
export interface PicklePatchResult {
  readonly segments: Segment[];
  /** Output size in bytes. */
  readonly size: number;
  /** Bytes every later zip entry (or the legacy storages) moved by; 0 in place. */
  readonly shift: number;
  readonly mode: 'in-place' | 'resized';
}

function keyMatches(k: PyValue, label: string): boolean {
  return (k.kind === 'str' && k.value === label) || (k.kind === 'int' && String(k.value) === label);
}

/** The value at `path` (dict keys as strings, list/tuple items as `[i]`), or undefined. */
export function valueAt(root: PyValue, path: readonly string[]): PyValue | undefined {
  let v: PyValue | undefined = root;
  for (const p of path) {
    if (!v) return undefined;
    const item = /^\[(\d+)\]$/.exec(p);
    if (item && (v.kind === 'list' || v.kind === 'tuple')) v = v.items[Number(item[1])];
    else if (v.kind === 'dict') v = [...v.entries].reverse().find(([k]) => keyMatches(k, p))?.[1];
    else return undefined;
  }
  return v;
}

/** A number or bool as the planner compares it (bigints as numbers when safe). */
export function scalarOf(v: PyValue | undefined): number | boolean | undefined {
  if (v?.kind === 'bool') return v.value;
  if (v?.kind === 'int') return typeof v.value === 'bigint' ? (Number.isSafeInteger(Number(v.value)) ? Number(v.value) : undefined) : v.value;
  return undefined;
}

function boolEdit(bytes: Uint8Array, span: Span, after: boolean, field: string): ByteEdit {
  const op = bytes[span.offset];
  if (op === OP.NEWTRUE || op === OP.NEWFALSE) return { offset: span.offset, length: 1, data: Uint8Array.of(after ? OP.NEWTRUE : OP.NEWFALSE) };
  const text = new TextDecoder().decode(bytes.subarray(span.offset, span.offset + span.length));
  if (text === 'I01\n' || text === 'I00\n') return { offset: span.offset, length: 4, data: new TextEncoder().encode(after ? 'I01\n' : 'I00\n') };
  throw new RepairRefused(`${field}: the bool at byte ${span.offset} is not written as NEWTRUE/NEWFALSE or I01/I00, so it is not patched`);
}

/**
 * Plan the patch of `targets` in the parsed `file` read through `src`.
 * @throws RepairRefused when a path is missing, holds a value other than `before`, holds no opcode
 *         span, or two targets share one opcode; when the file would run code, is a bare pickle or
 *         failed an integrity check
 * @throws CheckpointFormatError when the archive cannot be re-laid
 */
export async function planPickleValues(src: ByteSource, file: TorchFile, targets: readonly PickleValueTarget[]): Promise<PicklePatchResult> {
  const dangerous = scanGlobals(file.pickles.map((p) => ({ file: src.name, member: p.member, label: p.label, globals: p.result.globals }))).find((f) => f.verdict === 'dangerous');
  if (dangerous) throw new RepairRefused(`${src.name} imports ${dangerous.name}, which would run code when loaded; ckptview does not write a new copy of it`);
  if (file.format === 'pickle' || file.format === 'tar') throw new RepairRefused(`${src.name} is not a torch.save zip or legacy file; ckptview repairs those only`);
  if (file.integrity.length) throw new RepairRefused(`${src.name} failed an integrity check (${file.integrity[0].message}); a repair would hide the damage`);
  const ints: IntTarget[] = [];
  const bools: ByteEdit[] = [];
  const seen = new Map<number, string>();
  for (const t of targets) {
    const field = t.path.join('.');
    const v = valueAt(file.value, t.path);
    const now = scalarOf(v);
    if (!v || now === undefined) throw new RepairRefused(`${src.name}: ${field} is not an int or bool in this file`);
    if (now !== t.before) throw new RepairRefused(`${src.name}: ${field} is ${String(now)}, not ${String(t.before)} as planned (the file changed?)`);
    if (!v.span) throw new RepairRefused(`${src.name}: ${field} has no opcode of its own to patch`);
    const other = seen.get(v.span.offset);
    if (other !== undefined) throw new RepairRefused(`${src.name}: ${field} and ${other} are one pickled value (a memo reference), so they cannot be set separately`);
    seen.set(v.span.offset, field);
    if (now === t.after) continue;
    if (typeof t.after === 'boolean') {
      if (v.kind !== 'bool') throw new RepairRefused(`${src.name}: ${field} is not a bool`);
      bools.push(boolEdit(file.mainBytes, v.span, t.after, field));
    } else {
      if (v.kind !== 'int') throw new RepairRefused(`${src.name}: ${field} is not an int`);
      ints.push({ field, span: v.span, after: t.after });
    }
  }
  const patch = planIntEdits(file.mainBytes, file.main.result, ints);
  const edits = [...patch.edits, ...bools].sort((a, b) => a.offset - b.offset);
  let segments: Segment[];
  let shift = 0;
  if (file.format === 'zip' && file.zip) {
    const relaid = await relayoutZip(src, file.zip, applyEdits(file.mainBytes, edits));
    segments = relaid.segments;
    shift = relaid.info.shift;
  } else if (file.format === 'legacy') {
    segments = spliceSegments(src.size, edits.map((x) => ({ offset: x.offset + file.main.fileOffset, length: x.length, data: x.data })));
    shift = patch.delta;
  } else {
    throw new CheckpointFormatError('not-a-checkpoint', src.name, 'not a torch.save file');
  }
  return { segments, size: segmentsLength(segments), shift, mode: patch.inPlace ? 'in-place' : 'resized' };
}
