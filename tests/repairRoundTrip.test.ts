/**
 * Repair round trip with real PyTorch: for every repairable fixture (own, and ../shared when
 * present), mark an epoch complete with an epoch that fits the old opcode, one that needs a wider
 * opcode (> 255 from BININT1, > 65535 from BININT2), and check with scripts/check_repair.py that
 * torch.load reads the new epoch and step 0 and every other value and tensor unchanged
 * (torch.equal), with every zip CRC valid and storages still 64-byte aligned.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { bytesSource } from '../src/core/bytes/byteSource';
import { planMarkEpochComplete } from '../src/core/repair/markEpochComplete';
import { verifyRepair } from '../src/core/repair/verifyRepair';
import { loadTorchFile } from '../src/core/torch/loadTorchFile';
import { writeSegments } from '../src/node/writeSegments';
import { checkpointFolders, HAS_SHARED, OWN, SHARED } from './support/fixtures';
import { runPythonJson } from './support/python';

interface Case { original: string; repaired: string; epoch: number; label: string; mode: string }
interface PyResult { repaired: string; ok: boolean; problems: string[]; epoch: number; step: number }

const own = checkpointFolders(OWN).map((d) => ({ dir: d, label: `own/${relative(OWN, d)}` }));
const shared = HAS_SHARED ? checkpointFolders(SHARED).filter((d) => !/\/(bad|hf_trainer|lightning)\//.test(d)).map((d) => ({ dir: d, label: `shared/${relative(SHARED, d)}` })) : [];
const fixtures = [...own, ...shared];
const EPOCHS = (current: number): number[] => [...new Set([current, 300, 70_000])];

let work: string;
const cases: Case[] = [];
let results = new Map<string, PyResult>();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ckptview-repair-'));
  for (const { dir, label } of fixtures) {
    const path = join(dir, 'training_state.pth');
    const src = bytesSource(new Uint8Array(readFileSync(path)), label);
    const file = await loadTorchFile(src);
    const epoch = file.value.kind === 'dict' ? Number((file.value.entries.find(([k]) => k.kind === 'str' && k.value === 'epoch')?.[1] as { value: number }).value) : 1;
    for (const n of EPOCHS(epoch)) {
      const plan = await planMarkEpochComplete(src, file, n);
      const verdict = await verifyRepair(src, file, plan);
      expect(verdict.problems, `${label} epoch ${n}`).toEqual([]);
      const out = join(work, `${cases.length}.pth`);
      await writeSegments(out, src, plan.segments);
      cases.push({ original: path, repaired: out, epoch: n, label, mode: plan.mode });
    }
  }
  const manifest = join(work, 'cases.json');
  writeFileSync(manifest, JSON.stringify(cases));
  results = new Map(runPythonJson<PyResult[]>([join(__dirname, '..', 'scripts', 'check_repair.py'), manifest]).map((r) => [r.repaired, r]));
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('repaired files load with torch.load and differ only in epoch and step', () => {
  test('fixtures were found (own, plus shared when present)', () => {
    expect(own.length).toBeGreaterThanOrEqual(8);
    if (HAS_SHARED) expect(shared.length).toBeGreaterThanOrEqual(5);
    expect(cases.some((c) => c.mode === 'resized')).toBe(true);
    expect(cases.some((c) => c.mode === 'in-place')).toBe(true);
    expect(cases.some((c) => c.label.includes('torch_legacy_format') && c.mode === 'resized')).toBe(true);
    expect(cases.some((c) => c.label.includes('wide_epoch') && c.epoch === 300 && c.mode === 'resized')).toBe(true);
  });
  for (const { label } of fixtures) {
    test(label, () => {
      const mine = cases.filter((c) => c.label === label);
      expect(mine.length).toBeGreaterThan(0);
      for (const c of mine) {
        const r = results.get(c.repaired);
        expect(r, `${label} epoch ${c.epoch}`).toBeDefined();
        expect(r!.problems, `${label} epoch ${c.epoch} (${c.mode})`).toEqual([]);
        expect(r!.epoch).toBe(c.epoch);
        expect(r!.step).toBe(0);
      }
    });
  }
});
