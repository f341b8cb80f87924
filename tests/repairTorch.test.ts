/**
 * The trainers' own repairs with real PyTorch (scripts/check_convention_repair.py): each repaired
 * pickle loads with torch.load (stand-ins for trainer classes), holds the new values and every
 * other value and tensor equal; trainer_state.json reads with Python's json with only the edited
 * values changed; and the position the trainer's own resume rule computes from the repaired file
 * is the intended one (Lightning RESUMED_ON_EPOCH_END at epoch 7, HF epochs_trained 3).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesSource, type ByteSource } from '../src/core/bytes/byteSource';
import type { RepairAccess, RepairRequest } from '../src/core/repair/offers';
import { repairSubjectOf, runRepair } from '../src/core/repair/runRepair';
import { writeSegments } from '../src/node/writeSegments';
import { analyzeFolder, OWN } from './support/fixtures';
import { runPythonJson } from './support/python';

interface Case { label: string; kind: 'pickle' | 'json'; original: string; repaired: string; changes: { path: (string | number)[]; after_json: string }[]; rule?: 'lightning' | 'hf'; U?: number; mode: string }
interface PyResult { repaired: string; ok: boolean; problems: string[]; position: Record<string, number | string | null> | null }

const RUNS: { label: string; dir: string; name: string; request: RepairRequest; rule?: 'lightning' | 'hf'; U?: number }[] = [
  { label: 'timm recovery epoch 3', dir: join(OWN, 'timm', 'output'), name: 'recovery-4-50.pth.tar', request: { offerId: 'timm-epoch' } },
  { label: 'fairseq epoch 3 complete', dir: join(OWN, 'fairseq', 'checkpoints'), name: 'checkpoint_last.pt', request: { offerId: 'fairseq-mark-complete' } },
  { label: 'Ultralytics epochs 150 (in place)', dir: join(OWN, 'ultralytics', 'runs'), name: 'last.pt', request: { offerId: 'ultralytics-epochs', value: '150' } },
  { label: 'Ultralytics epochs 70000 (wider opcode)', dir: join(OWN, 'ultralytics', 'runs'), name: 'last.pt', request: { offerId: 'ultralytics-epochs', value: '70000' } },
  { label: 'Lightning epoch 6 complete', dir: join(OWN, 'lightning'), name: 'epoch=6-step=800.ckpt', request: { offerId: 'lightning-mark-complete' }, rule: 'lightning' },
  { label: 'HF mark epoch 3 complete', dir: join(OWN, 'hf_trainer', 'checkpoint-700'), name: 'checkpoint-700', request: { offerId: 'hf-mark-complete' }, rule: 'hf', U: 313 },
  { label: 'kohya current_step 40', dir: join(OWN, 'kohya', 'run'), name: 'run-000004-state', request: { offerId: 'kohya-current-step' } },
];

function accessOf(dir: string): RepairAccess {
  return {
    open(path: string): ByteSource | undefined {
      try {
        return bytesSource(new Uint8Array(readFileSync(join(dir, '..', path))), path);
      } catch {
        return undefined;
      }
    },
  };
}

let work: string;
const cases: Case[] = [];
let results = new Map<string, PyResult>();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ckptview-conv-repair-'));
  for (const run of RUNS) {
    const { summaries } = await analyzeFolder(run.dir);
    const s = summaries.find((x) => x.name === run.name)!;
    const built = await runRepair(repairSubjectOf(s), run.request, accessOf(run.dir));
    for (const [i, f] of built.files.entries()) {
      const out = join(work, `${cases.length}-${i}.out`);
      await writeSegments(out, f.original, f.segments);
      const edit = built.spec.edits.find((e) => e.kind !== 'rename-folder' && e.file === f.path)!;
      const changes =
        edit.kind === 'pickle-values'
          ? edit.targets.map((t) => ({ path: [...t.path], after_json: String(t.after) }))
          : edit.kind === 'json-values'
            ? edit.targets.map((t) => ({ path: [...t.path], after_json: t.text }))
            : [];
      cases.push({ label: run.label, kind: edit.kind === 'pickle-values' ? 'pickle' : 'json', original: join(run.dir, '..', f.path), repaired: out, changes, rule: run.rule, U: run.U, mode: f.mode });
    }
  }
  const manifest = join(work, 'cases.json');
  writeFileSync(manifest, JSON.stringify(cases));
  results = new Map(runPythonJson<PyResult[]>([join(__dirname, '..', 'scripts', 'check_convention_repair.py'), manifest]).map((r) => [r.repaired, r]));
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('torch.load reads the repaired files with the new values and everything else equal', () => {
  test('every repair ran (one file each)', () => {
    expect(cases.map((c) => c.label)).toEqual(RUNS.map((r) => r.label));
    expect(cases.find((c) => c.label.includes('70000'))?.mode).toBe('resized');
  });
  for (const run of RUNS) {
    test(run.label, () => {
      const c = cases.find((x) => x.label === run.label)!;
      const r = results.get(c.repaired)!;
      expect(r.problems).toEqual([]);
      expect(r.ok).toBe(true);
      if (run.rule === 'lightning') expect(r.position).toEqual({ stage: 'RESUMED_ON_EPOCH_END', next_epoch: 7, batch: 0 });
      if (run.rule === 'hf') expect(r.position).toEqual({ epochs_trained: 3, steps_skipped: 0 });
    });
  }
});
