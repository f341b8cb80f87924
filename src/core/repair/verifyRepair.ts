/**
 * Verify a repair before it is offered: re-parse the produced bytes and compare with the original.
 * Only `epoch` and `step` may differ, with the planned values; data.pkl's CRC must be valid (checked
 * by the re-parse); every other zip entry must keep its CRC, sizes and name, and its data must be
 * the original's bytes at the expected place (same offset modulo 64, shifted by the plan's shift).
 * Small outputs (<= 64 MiB) also get every entry's CRC recomputed.
 */
import type { ByteSource } from '../bytes/byteSource';
import { dictGet } from '../pickle/values';
import { loadTorchFile } from '../torch/loadTorchFile';
import type { TorchFile } from '../torch/torchFile';
import { readEntry, readLocalHeader } from '../zip/zipReader';
import { diffValues } from './compareValues';
import type { RepairPlan } from './markEpochComplete';
import { segmentsSource } from './segments';
import { plural } from '../display/plural';

/** Outputs up to this size (bytes) get every zip entry's CRC recomputed. */
export const FULL_CRC_LIMIT = 64 * 1024 * 1024;

/** The verifier's verdict. */
export interface RepairVerification {
  readonly ok: boolean;
  /** What was checked, as sentences. */
  readonly checks: string[];
  /** What failed, as sentences (empty when ok). */
  readonly problems: string[];
}

/** Re-parse and compare. Never throws: failures are problems. */
export async function verifyRepair(originalSrc: ByteSource, original: TorchFile, plan: RepairPlan): Promise<RepairVerification> {
  const checks: string[] = [];
  const problems: string[] = [];
  const out = segmentsSource(originalSrc, plan.segments);
  let repaired: TorchFile;
  try {
    repaired = await loadTorchFile(out);
    checks.push(`the repaired file parses as a torch.save ${repaired.format === 'zip' ? 'zip archive (data.pkl CRC-32 valid)' : 'legacy file'}`);
  } catch (e) {
    return { ok: false, checks, problems: [`the repaired file does not parse: ${(e as Error).message}`] };
  }
  const diffs = diffValues(original.value, repaired.value).map((p) => p.join('.'));
  const allowed = new Set<string>(plan.changes.filter((c) => c.before !== c.after).map((c) => c.field));
  const unexpected = diffs.filter((d) => !allowed.has(d));
  if (unexpected.length) problems.push(`values other than epoch and step changed: ${unexpected.join(', ')}`);
  else checks.push(`every value except ${[...allowed].join(' and ') || 'nothing'} is identical to the original (${plural(diffs.length, 'intended change')})`);
  for (const c of plan.changes) {
    const v = dictGet(repaired.value, c.field);
    if (!v || v.kind !== 'int' || Number(v.value) !== c.after) problems.push(`${c.field} reads back as ${v && v.kind === 'int' ? String(v.value) : 'missing'}, not ${c.after}`);
  }
  if (!problems.length) checks.push(`epoch reads back as ${plan.newEpoch} and step as 0`);

  await checkContainer(originalSrc, original, out, repaired, plan.shift, checks, problems);
  return { ok: problems.length === 0, checks, problems };
}

/**
 * The container checks shared by every pickle repair: every zip entry other than data.pkl keeps its
 * name, CRC-32 and sizes, and its data sits at the original place (shifted by `shift` bytes after
 * data.pkl, 64-byte alignment kept); small outputs get every CRC recomputed. Legacy files: the
 * storage keys are unchanged and the storages follow the pickles `shift` bytes later.
 * Appends to `checks` and `problems`; never throws.
 */
export async function checkContainer(originalSrc: ByteSource, original: TorchFile, out: ByteSource, repaired: TorchFile, shift: number, checks: string[], problems: string[]): Promise<void> {
  if (original.zip && repaired.zip) {
    const a = original.zip.index.entries;
    const b = repaired.zip.index.entries;
    if (a.length !== b.length || a.some((e, i) => e.name !== b[i].name)) problems.push('the archive entries changed');
    else {
      let moved = 0;
      for (let i = 0; i < a.length; i++) {
        if (a[i] === original.zip.dataPkl) continue;
        if (a[i].crc32 !== b[i].crc32 || a[i].compressedSize !== b[i].compressedSize || a[i].uncompressedSize !== b[i].uncompressedSize) {
          problems.push(`${a[i].name}: CRC or size changed`);
          continue;
        }
        let oldData: number;
        let newData: number;
        try {
          oldData = (await readLocalHeader(originalSrc, a[i])).dataOffset;
          newData = (await readLocalHeader(out, b[i])).dataOffset;
        } catch (err) {
          // e.g. a damaged local header of a storage the parse never needed to read
          problems.push((err as Error).message);
          continue;
        }
        const expected = a[i].localHeaderOffset > original.zip.dataPkl.localHeaderOffset ? oldData + shift : oldData;
        if (newData !== expected) problems.push(`${a[i].name}: data moved to byte ${newData}, expected ${expected}`);
        else if (newData !== oldData) moved++;
        if (oldData % 64 === 0 && newData % 64 !== 0) problems.push(`${a[i].name}: data no longer 64-byte aligned`);
      }
      checks.push(`${a.length - 1 === 1 ? 'the other entry keeps' : `all ${a.length - 1} other entries keep`} name, CRC-32 and size${moved ? `; ${moved} moved by ${shift} bytes, alignment kept` : ''}`);
      if (out.size <= FULL_CRC_LIMIT) {
        for (const e of b) {
          try {
            await readEntry(out, e);
          } catch (err) {
            problems.push((err as Error).message);
          }
        }
        checks.push(`every entry's CRC-32 recomputed over the repaired bytes`);
      }
    }
  }
  if (original.legacy && repaired.legacy) {
    if (original.legacy.storageKeys.join() !== repaired.legacy.storageKeys.join()) problems.push('the legacy storage keys changed');
    else if (repaired.legacy.storagesOffset !== original.legacy.storagesOffset + shift) problems.push('the legacy storage records moved unexpectedly');
    else checks.push(`the ${original.legacy.storageKeys.length} legacy storage records follow the pickles unchanged`);
  }
}
