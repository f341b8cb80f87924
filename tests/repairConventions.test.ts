/**
 * Repairs of every trainer where the repair is safe or guarded (CONVENTIONS.md §15), on the
 * fixtures made by real torch: the offers each summary lists (and the refusals), the planned
 * fields, and the verified outputs (pickle values re-read, JSON bytes unchanged outside the edited
 * values, text pointers rewritten).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { bytesSource, type ByteSource } from '../src/core/bytes/byteSource';
import type { CheckpointSummary } from '../src/core/conventions/summary';
import { RepairRefused, type RepairAccess } from '../src/core/repair/offers';
import { repairSubjectOf, runRepair } from '../src/core/repair/runRepair';
import { segmentsSource } from '../src/core/repair/segments';
import { valueAt } from '../src/core/repair/pickleValuePatch';
import { loadTorchFile } from '../src/core/torch/loadTorchFile';
import { analyzeFolder, OWN } from './support/fixtures';

/** Access to the files of a fixture folder, by path relative to its parent (as analyzeFolder names them). */
function accessOf(dir: string): RepairAccess {
  const parent = join(dir, '..');
  return {
    open(path: string): ByteSource | undefined {
      try {
        return bytesSource(new Uint8Array(readFileSync(join(parent, path))), path);
      } catch {
        return undefined;
      }
    },
  };
}

async function outputText(r: Awaited<ReturnType<typeof runRepair>>, i = 0): Promise<string> {
  const f = r.files[i];
  const src = segmentsSource(f.original, f.segments);
  return new TextDecoder().decode(await src.read(0, src.size));
}

async function analyze(dir: string): Promise<Map<string, CheckpointSummary>> {
  const { summaries } = await analyzeFolder(dir);
  return new Map(summaries.map((s) => [s.name, s]));
}

describe('kohya: current_step', async () => {
  const dir = join(OWN, 'kohya', 'run');
  const byName = await analyze(dir);
  test('the #2771 state offers current_step = current_epoch x steps per epoch (4 x 10 = 40)', async () => {
    const s = byName.get('run-000004-state')!;
    const o = s.repair.offers?.find((x) => x.id === 'kohya-current-step');
    expect(o?.refusal).toBeUndefined();
    expect(o?.input?.default).toBe('40');
    expect(o?.fields).toEqual([{ file: 'run/run-000004-state/train_state.json', field: 'current_step', before: '20', after: '40' }]);
    const r = await runRepair(repairSubjectOf(s), { offerId: 'kohya-current-step' }, accessOf(dir));
    const before = readFileSync(join(dir, 'run-000004-state', 'train_state.json'), 'utf8');
    expect(await outputText(r)).toBe(before.replace('"current_step": 20', '"current_step": 40'));
    expect(r.spec.resumeAfter).toContain('starts epoch 5');
  });
  test('a consistent state has nothing to change at the default', async () => {
    const s = byName.get('run-000002-state')!;
    await expect(runRepair(repairSubjectOf(s), { offerId: 'kohya-current-step' }, accessOf(dir))).rejects.toBeInstanceOf(RepairRefused);
  });
});

describe('HF Trainer', async () => {
  const dir = join(OWN, 'hf_trainer', 'checkpoint-700');
  const byName = await analyze(dir);
  const s = byName.get('checkpoint-700')!;
  test('mark epoch 3 complete: global_step 939, epoch 3.0, folder checkpoint-939; every other byte kept', async () => {
    const o = s.repair.offers?.find((x) => x.id === 'hf-mark-complete');
    expect(o?.safety).toBe('guarded');
    expect(o?.alternative).toContain('ignore_data_skip=True');
    expect(o?.input?.default).toBe('3');
    const r = await runRepair(repairSubjectOf(s), { offerId: 'hf-mark-complete' }, accessOf(dir));
    const before = readFileSync(join(dir, 'trainer_state.json'), 'utf8');
    const after = await outputText(r);
    expect(after).toBe(before.replace('"epoch": 2.236421725239617,', '"epoch": 3.0,').replace('"global_step": 700,', '"global_step": 939,'));
    expect(after).toContain('NaN');
    expect(after).toContain('-Infinity');
    expect(r.renames).toEqual([{ from: 'checkpoint-700', to: 'checkpoint-939' }]);
    expect(r.spec.sideEffects.join(' ')).toContain('scheduler.pt and optimizer.pt are not changed');
  });
  test('best_model_checkpoint naming this folder is not offered for clearing', () => {
    expect(s.repair.offers?.some((x) => x.id === 'hf-best-model-checkpoint')).toBe(false);
  });
});

describe('pickle repairs', async () => {
  test('timm recovery file: epoch 4 -> 3 (redo epoch 4)', async () => {
    const dir = join(OWN, 'timm', 'output');
    const byName = await analyze(dir);
    const s = byName.get('recovery-4-50.pth.tar')!;
    const r = await runRepair(repairSubjectOf(s), { offerId: 'timm-epoch' }, accessOf(dir));
    const f = r.files[0];
    const t = await loadTorchFile(segmentsSource(f.original, f.segments));
    expect(valueAt(t.value, ['epoch'])).toMatchObject({ kind: 'int', value: 3 });
    expect(r.spec.resumeAfter).toContain('epoch 4');
  });
  test('fairseq: epoch 3 complete -> train_iterator.epoch 4, iterations_in_epoch 0', async () => {
    const dir = join(OWN, 'fairseq', 'checkpoints');
    const byName = await analyze(dir);
    const s = byName.get('checkpoint_last.pt')!;
    const r = await runRepair(repairSubjectOf(s), { offerId: 'fairseq-mark-complete' }, accessOf(dir));
    const f = r.files[0];
    const t = await loadTorchFile(segmentsSource(f.original, f.segments));
    expect(valueAt(t.value, ['extra_state', 'train_iterator', 'epoch'])).toMatchObject({ value: 4 });
    expect(valueAt(t.value, ['extra_state', 'train_iterator', 'iterations_in_epoch'])).toMatchObject({ value: 0 });
  });
  test('Ultralytics: epochs 10 -> 300 (wider opcode, archive re-laid); best.pt (stripped) refused', async () => {
    const dir = join(OWN, 'ultralytics', 'runs');
    const byName = await analyze(dir);
    const last = byName.get('last.pt')!;
    const r = await runRepair(repairSubjectOf(last), { offerId: 'ultralytics-epochs', value: '300' }, accessOf(dir));
    expect(r.files[0].mode).toBe('resized');
    const f = r.files[0];
    const t = await loadTorchFile(segmentsSource(f.original, f.segments));
    expect(valueAt(t.value, ['train_args', 'epochs'])).toMatchObject({ value: 300 });
    expect(byName.get('best.pt')!.repair.offers?.[0].refusal).toContain('stripped');
  });
  test('Lightning: mid-epoch 6 marked complete; the epoch-end checkpoint is refused', async () => {
    const dir = join(OWN, 'lightning');
    const byName = await analyze(dir);
    const s = byName.get('epoch=6-step=800.ckpt')!;
    const r = await runRepair(repairSubjectOf(s), { offerId: 'lightning-mark-complete' }, accessOf(dir));
    const f = r.files[0];
    const t = await loadTorchFile(segmentsSource(f.original, f.segments));
    for (const part of ['total', 'current']) {
      expect(['ready', 'started', 'processed', 'completed'].map((n) => (valueAt(t.value, ['loops', 'fit_loop', 'epoch_progress', part, n]) as { value: number }).value)).toEqual([7, 7, 7, 6]);
    }
    expect(valueAt(t.value, ['loops', 'fit_loop', 'epoch_loop.batch_progress', 'is_last_batch'])).toMatchObject({ kind: 'bool', value: true });
    expect(byName.get('epoch=5-step=750.ckpt')!.repair.offers?.[0].refusal).toBeDefined();
  });
});

describe('pointers', async () => {
  test('DeepSpeed: latest re-pointed at global_step200', async () => {
    const dir = join(OWN, 'deepspeed', 'ds_output');
    const byName = await analyze(dir);
    const s = byName.get('global_step200')!;
    const r = await runRepair(repairSubjectOf(s), { offerId: 'deepspeed-latest' }, accessOf(dir));
    expect(await outputText(r)).toBe('global_step200');
    expect(byName.get('global_step300')!.repair.offers ?? []).toEqual([]);
  });
  test('mmengine: a pointer to a missing epoch_9.pth is re-pointed at epoch_1.pth, directory kept', async () => {
    const dir = join(OWN, 'mmengine', 'missing_pointer');
    const byName = await analyze(dir);
    const s = byName.get('last_checkpoint')!;
    const r = await runRepair(repairSubjectOf(s), { offerId: 'mmengine-last-checkpoint' }, accessOf(dir));
    expect(await outputText(r)).toBe('work_dirs/demo/epoch_1.pth');
  });
});
