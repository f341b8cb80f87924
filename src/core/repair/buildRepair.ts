/**
 * Turn a convention's {@link RepairSpec} into repaired files (segments of the originals plus new
 * bytes) and verify each by re-reading it before anything is offered (DESIGN.md: "patch plan ->
 * Blob of slices of the original + patched bytes -> re-parse and compare -> download"):
 *
 * - pickle values: the repaired file is parsed again; every value but the targets is identical
 *   (`compareValues.ts`), each target reads back with its new value, and the archive keeps every
 *   other entry (`verifyRepair.ts` `checkContainer`);
 * - JSON values: the repaired text parses again (NaN / Infinity allowed), has the same structure,
 *   every value but the targets has the same spelling, the targets hold the new text, and every byte
 *   outside the replaced spans is the original's;
 * - text files: the repaired file reads back as the new text.
 */
import type { ByteSource } from '../bytes/byteSource';
import { loadTorchFile } from '../torch/loadTorchFile';
import { diffValues } from './compareValues';
import { jsonEditBytes, parseJsonSpans, type JsonNode } from './jsonSpans';
import { RepairRefused, type RepairAccess, type RepairEdit, type RepairSpec } from './offers';
import { planPickleValues, scalarOf, valueAt } from './pickleValuePatch';
import { segmentsLength, segmentsSource, spliceSegments, type Segment } from './segments';
import { checkContainer } from './verifyRepair';

/** Largest JSON or text file edited (read whole), in bytes. */
export const MAX_TEXT_BYTES = 64 * 1024 * 1024;

/** One repaired file. */
export interface RepairedFile {
  /** Path relative to the drop (the original's path; a folder rename is separate). */
  readonly path: string;
  /** The original, which the `source` segments index into. */
  readonly original: ByteSource;
  readonly segments: Segment[];
  /** Output size in bytes. */
  readonly size: number;
  /** `in-place`: same length; `resized`: a wider value spliced in (zip re-laid); `rewritten`: a small text file written anew. */
  readonly mode: 'in-place' | 'resized' | 'rewritten';
  /** Checks passed when re-reading this file. */
  readonly checks: string[];
}

/** A verified repair. */
export interface BuiltRepair {
  readonly spec: RepairSpec;
  readonly files: RepairedFile[];
  readonly renames: { readonly from: string; readonly to: string }[];
}

/** A repair that did not pass verification; `problems` say what differed. */
export class RepairVerificationError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`${file}: the repaired file did not pass verification, so it is not offered: ${problems.join('; ')}`);
    this.name = 'RepairVerificationError';
  }
}

function need(access: RepairAccess, path: string): ByteSource {
  const src = access.open(path);
  if (!src) throw new RepairRefused(`${path} is not available (drop it again)`);
  return src;
}

async function readText(src: ByteSource): Promise<string> {
  if (src.size > MAX_TEXT_BYTES) throw new RepairRefused(`${src.name} is larger than ${MAX_TEXT_BYTES} bytes; it is not edited`);
  const bytes = await src.read(0, src.size);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new RepairRefused(`${src.name} is not UTF-8 text`);
  }
}

async function buildPickle(edit: Extract<RepairEdit, { kind: 'pickle-values' }>, access: RepairAccess): Promise<RepairedFile> {
  const src = need(access, edit.file);
  const original = await loadTorchFile(src);
  const patch = await planPickleValues(src, original, edit.targets);
  const out = segmentsSource(src, patch.segments);
  const checks: string[] = [];
  const problems: string[] = [];
  let repaired;
  try {
    repaired = await loadTorchFile(out);
  } catch (e) {
    throw new RepairVerificationError(edit.file, [`the repaired file does not parse: ${(e as Error).message}`]);
  }
  checks.push(`the repaired file parses as a torch.save ${repaired.format === 'zip' ? 'zip archive (data.pkl CRC-32 valid)' : 'legacy file'}`);
  const allowed = new Set(edit.targets.filter((t) => t.before !== t.after).map((t) => t.path.join('.')));
  const diffs = diffValues(original.value, repaired.value).map((p) => p.join('.'));
  const unexpected = diffs.filter((d) => !allowed.has(d));
  if (unexpected.length) problems.push(`values other than the intended ones changed: ${unexpected.join(', ')}`);
  else checks.push(`every value except ${[...allowed].join(', ') || 'nothing'} is identical to the original (tensors: dtype, shape, strides, storages)`);
  for (const t of edit.targets) {
    const now = scalarOf(valueAt(repaired.value, t.path));
    if (now !== t.after) problems.push(`${t.path.join('.')} reads back as ${String(now)}, not ${String(t.after)}`);
  }
  if (!problems.length) checks.push(`${edit.targets.map((t) => `${t.path.join('.')} = ${String(t.after)}`).join(', ')} read back`);
  if (repaired.integrity.length) problems.push(`the repaired file fails an integrity check: ${repaired.integrity[0].message}`);
  await checkContainer(src, original, out, repaired, patch.shift, checks, problems);
  if (problems.length) throw new RepairVerificationError(edit.file, problems);
  return { path: edit.file, original: src, segments: patch.segments, size: patch.size, mode: patch.mode, checks };
}

/** Compare two JSON trees: same structure, same value spellings except at `changed` paths. */
function sameJsonExcept(a: JsonNode, at: string, b: JsonNode, bt: string, changed: ReadonlySet<string>, path: string, problems: string[]): void {
  if (problems.length > 20) return;
  if (changed.has(path)) return;
  if (a.kind !== b.kind) {
    problems.push(`${path || '(root)'} changed kind`);
    return;
  }
  if (a.kind === 'scalar') {
    if (at.slice(a.start, a.end) !== bt.slice(b.start, b.end)) problems.push(`${path || '(root)'} changed`);
    return;
  }
  if (a.kind === 'object' && b.kind === 'object') {
    if (a.entries.length !== b.entries.length || a.entries.some(([k], i) => k !== b.entries[i][0])) problems.push(`${path || '(root)'}: keys or key order changed`);
    else a.entries.forEach(([k, v], i) => sameJsonExcept(v, at, b.entries[i][1], bt, changed, path ? `${path}.${k}` : k, problems));
    return;
  }
  if (a.kind === 'array' && b.kind === 'array') {
    if (a.items.length !== b.items.length) problems.push(`${path || '(root)'}: length changed`);
    else a.items.forEach((v, i) => sameJsonExcept(v, at, b.items[i], bt, changed, `${path}[${i}]`, problems));
  }
}

async function buildJson(edit: Extract<RepairEdit, { kind: 'json-values' }>, access: RepairAccess): Promise<RepairedFile> {
  const src = need(access, edit.file);
  const text = await readText(src);
  let edits;
  try {
    edits = jsonEditBytes(text, edit.targets);
  } catch (e) {
    throw new RepairRefused(`${edit.file}: ${(e as Error).message}`);
  }
  const segments = spliceSegments(src.size, edits);
  const out = segmentsSource(src, segments);
  const outText = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await out.read(0, out.size));
  const problems: string[] = [];
  const checks: string[] = [];
  let before: JsonNode;
  let after: JsonNode;
  try {
    before = parseJsonSpans(text);
    after = parseJsonSpans(outText);
  } catch (e) {
    throw new RepairVerificationError(edit.file, [`the repaired JSON does not parse: ${(e as Error).message}`]);
  }
  checks.push('the repaired JSON parses (NaN and Infinity spelled as Python wrote them)');
  const keyPath = (p: readonly (string | number)[]): string => p.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '');
  const changed = new Set(edit.targets.map((t) => keyPath(t.path)));
  sameJsonExcept(before, text, after, outText, changed, '', problems);
  if (!problems.length) checks.push(`every key, its order and every other value's spelling are unchanged; only ${[...changed].join(', ')} differ${changed.size === 1 ? 's' : ''}`);
  for (const t of edit.targets) {
    let n: JsonNode | undefined = after;
    for (const k of t.path) n = n?.kind === 'object' ? [...n.entries].reverse().find(([x]) => x === k)?.[1] : n?.kind === 'array' && typeof k === 'number' ? n.items[k] : undefined;
    if (!n || outText.slice(n.start, n.end) !== t.text) problems.push(`${keyPath(t.path)} reads back as ${n ? outText.slice(n.start, n.end) : 'missing'}, not ${t.text}`);
  }
  // every byte outside the replaced spans is the original's
  const orig = await src.read(0, src.size);
  const outBytes = await out.read(0, out.size);
  let o = 0;
  let n = 0;
  for (const e of [...edits].sort((x, y) => x.offset - y.offset)) {
    const len = e.offset - o;
    for (let i = 0; i < len; i++) if (orig[o + i] !== outBytes[n + i]) { problems.push(`byte ${o + i} outside the edited values changed`); break; }
    o = e.offset + e.length;
    n += len + e.data.length;
  }
  for (let i = 0; o + i < orig.length; i++) if (orig[o + i] !== outBytes[n + i]) { problems.push(`byte ${o + i} outside the edited values changed`); break; }
  if (outBytes.length - n !== orig.length - o) problems.push('the text after the last edited value changed length');
  if (problems.length) throw new RepairVerificationError(edit.file, problems);
  checks.push(`every byte outside the ${edits.length} edited value${edits.length === 1 ? '' : 's'} is the original's`);
  return { path: edit.file, original: src, segments, size: segmentsLength(segments), mode: segmentsLength(segments) === src.size ? 'in-place' : 'resized', checks };
}

async function buildText(edit: Extract<RepairEdit, { kind: 'text-file' }>, access: RepairAccess): Promise<RepairedFile> {
  const src = need(access, edit.file);
  const text = await readText(src);
  if (text !== edit.before) throw new RepairRefused(`${edit.file} no longer holds ${JSON.stringify(edit.before)} (the file changed?)`);
  const data = new TextEncoder().encode(edit.after);
  const segments: Segment[] = [{ kind: 'bytes', data }];
  const back = new TextDecoder().decode(await segmentsSource(src, segments).read(0, data.length));
  if (back !== edit.after) throw new RepairVerificationError(edit.file, ['the new text does not read back']);
  return { path: edit.file, original: src, segments, size: data.length, mode: 'rewritten', checks: [`${edit.file} reads back as ${JSON.stringify(edit.after)}`] };
}

/**
 * Build and verify every edit of `spec`.
 * @throws RepairRefused when a file is missing or no longer holds the planned values;
 *         RepairVerificationError when a repaired file does not re-read as planned
 */
export async function buildRepair(spec: RepairSpec, access: RepairAccess): Promise<BuiltRepair> {
  const files: RepairedFile[] = [];
  const renames: { from: string; to: string }[] = [];
  for (const e of spec.edits) {
    if (e.kind === 'pickle-values') files.push(await buildPickle(e, access));
    else if (e.kind === 'json-values') files.push(await buildJson(e, access));
    else if (e.kind === 'text-file') files.push(await buildText(e, access));
    else renames.push({ from: e.from, to: e.to });
  }
  return { spec, files, renames };
}
