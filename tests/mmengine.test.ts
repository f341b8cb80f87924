/**
 * MMEngine and mmcv 1.x on torch-made fixtures (scripts/fixtures_research.py): a work dir with
 * epoch_1/epoch_2, a stale-meta epoch_3 (file name 3, meta.epoch 2: mmcv PR #1108) and a
 * last_checkpoint naming epoch_2; a last_checkpoint naming a missing file; an mmcv 1.x file.
 * Values from each expected.json (what torch.load returned).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { CheckpointSummary } from '../src/core/conventions/summary';
import { analyzeFolder, OWN, ROOT } from './support/fixtures';

type FileTruth = { meta_epoch: number; meta_iter: number; mmengine_version: string; best_score: number; model_parameters: number; optimizer_param_states: number };
const expected = JSON.parse(readFileSync(join(OWN, 'mmengine', 'expected.json'), 'utf8')) as {
  kind: string;
  files: Record<string, FileTruth>;
  last_checkpoint: string;
  iter_based: { meta_epoch: number; meta_iter: number; max_iters: number };
};
const byName = (all: CheckpointSummary[], name: string): CheckpointSummary => {
  const s = all.find((x) => x.name === name);
  if (!s) throw new Error(`no checkpoint named ${name}`);
  return s;
};

describe('MMEngine work dir', () => {
  test('each epoch_N.pth: meta.epoch = epochs completed, a resume starts the next epoch; model, optimizer, best score', async () => {
    const { summaries } = await analyzeFolder(join(OWN, 'mmengine', 'work_dir'));
    expect(summaries.map((s) => s.name).sort()).toEqual(['epoch_1.pth', 'epoch_2.pth', 'epoch_3.pth', 'last_checkpoint']);
    for (const [name, e] of Object.entries(expected.files)) {
      const s = byName(summaries, name);
      expect(s.kind).toBe(expected.kind);
      expect(s.position).toMatchObject({ epoch: e.meta_epoch, epochsCompleted: e.meta_epoch, stepInEpoch: 0, globalStep: e.meta_iter, stepsPerEpoch: e.meta_iter / e.meta_epoch, plannedEpochs: 12, finished: false, resumable: true });
      expect(s.position?.resume).toBe(`start epoch ${e.meta_epoch + 1} of 12 at its first batch (EpochBasedTrainLoop sets _epoch = ${e.meta_epoch})`);
      expect(s.progress).toMatchObject({ status: 'complete', epoch: e.meta_epoch, resume: { epoch: e.meta_epoch + 1 } });
      expect(s.metrics).toEqual([{ name: 'message_hub.runtime_info.best_score', value: e.best_score, best: true }]);
      expect(s.model?.parameters).toBe(e.model_parameters);
      expect(s.optimizer?.paramStates).toBe(e.optimizer_param_states);
      expect(s.facts).toContainEqual({ label: 'meta.mmengine_version', value: e.mmengine_version });
    }
  });

  test('epoch_3.pth whose meta says 2: the stale-meta warning names both numbers', async () => {
    const { summaries } = await analyzeFolder(join(OWN, 'mmengine', 'work_dir'));
    const s = byName(summaries, 'epoch_3.pth');
    expect(expected.files['epoch_3.pth'].meta_epoch).toBe(2);
    expect(s.warnings).toEqual([
      'work_dir/epoch_3.pth: the file name says epoch 3 but meta.epoch is 2: the stale-meta bug of mmcv PR #1108 (mmdetection #5505, #8513); the file name is the epoch it was saved after, while a resume follows meta.epoch 2.',
    ]);
    expect(byName(summaries, 'epoch_2.pth').warnings).toEqual([]);
  });

  test('last_checkpoint: reads the file it names and resumes from it', async () => {
    const { plan, summaries } = await analyzeFolder(join(OWN, 'mmengine', 'work_dir'));
    expect(plan.checkpoints.find((c) => c.name === 'last_checkpoint')?.convention).toBe('mmengine');
    const s = byName(summaries, 'last_checkpoint');
    const e = expected.files['epoch_2.pth'];
    expect(s.facts?.[0]).toEqual({ label: 'last_checkpoint', value: expected.last_checkpoint });
    expect(s.position).toMatchObject({ epochsCompleted: e.meta_epoch, globalStep: e.meta_iter });
    expect(s.position?.resume).toBe(`start epoch 3 of 12 at its first batch (EpochBasedTrainLoop sets _epoch = 2); resume=True loads epoch_2.pth, named by last_checkpoint`);
    expect(s.model?.parameters).toBe(e.model_parameters);
  });

  test('last_checkpoint naming a missing file: a warning, not resumable', async () => {
    const { summaries } = await analyzeFolder(join(OWN, 'mmengine', 'missing_pointer'));
    const s = byName(summaries, 'last_checkpoint');
    expect(s.kind).toBe('mmengine');
    expect(s.position).toMatchObject({ resumable: false, resume: 'cannot resume: last_checkpoint names epoch_9.pth, which is missing' });
    expect(s.warnings).toEqual([
      'missing_pointer/last_checkpoint: it names work_dirs/demo/epoch_9.pth, which is not in this folder: Runner.resume(resume=True) fails to load it; point last_checkpoint at an existing, complete checkpoint.',
    ]);
  });
});

describe('MMEngine iteration-based run', () => {
  test('iter_8.pth of an IterBasedTrainLoop: continues at meta.iter, the dataloader advanced that many batches', async () => {
    const e = expected.iter_based;
    const { summaries } = await analyzeFolder(join(OWN, 'mmengine', 'iter_based'));
    expect(summaries).toHaveLength(1);
    const s = summaries[0];
    expect(s.kind).toBe('mmengine');
    expect(s.position).toMatchObject({ epoch: e.meta_epoch, globalStep: e.meta_iter, stepUnit: 'iterations', stepInEpoch: undefined, finished: false });
    expect(s.position?.resume).toBe(`continue at iteration ${e.meta_iter} of ${e.max_iters} (IterBasedTrainLoop advances the dataloader ${e.meta_iter} batches)`);
    expect(s.facts).toContainEqual({ label: 'cfg max_iters', value: String(e.max_iters) });
  });
});

describe('mmcv 1.x runner', () => {
  test('epoch_2.pth with meta.mmcv_version: epochs completed 2 of 24 (config text), model and optimizer', async () => {
    const e = JSON.parse(readFileSync(join(OWN, 'mmcv', 'epoch_2.pth.expected.json'), 'utf8')) as { kind: string; meta_epoch: number; meta_iter: number; mmcv_version: string; max_epochs: number; model_parameters: number; optimizer_param_states: number };
    const { summaries } = await analyzeFolder(join(OWN, 'mmcv'));
    expect(summaries).toHaveLength(1);
    const s = summaries[0];
    expect(s.kind).toBe(e.kind);
    expect(s.position).toMatchObject({ epoch: e.meta_epoch, epochsCompleted: e.meta_epoch, globalStep: e.meta_iter, plannedEpochs: e.max_epochs, finished: false });
    expect(s.position?.note).toBe('mmcv saves meta.epoch as the count of epochs completed; a resume continues at that value.');
    expect(s.facts).toContainEqual({ label: 'meta.mmcv_version', value: e.mmcv_version });
    expect(s.model?.parameters).toBe(e.model_parameters);
    expect(s.optimizer?.paramStates).toBe(e.optimizer_param_states);
  });
});

describe('CLI on the research fixtures', () => {
  const cli = (dir: string) => spawnSync(process.execPath, [join(ROOT, 'bin', 'ckptview.mjs'), 'inspect', dir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 }).stdout;

  test('MMEngine, fairseq and torchtune labels and resume lines', () => {
    const mm = cli(join(OWN, 'mmengine', 'work_dir'));
    expect(mm).toContain('last_checkpoint  (work_dir)  [MMEngine, epoch 2 complete');
    expect(mm).toContain('resume             start epoch 3 of 12 at its first batch (EpochBasedTrainLoop sets _epoch = 2); resume=True loads epoch_2.pth, named by last_checkpoint');
    const fs = cli(join(OWN, 'fairseq', 'checkpoints'));
    expect(fs).toContain('checkpoint_last.pt  (checkpoints)  [fairseq, epoch 3 incomplete');
    expect(fs).toContain('resume             continue epoch 3 after batch 5 (the iterator is fast-forwarded 5 batches)');
    const tt = cli(join(OWN, 'torchtune', 'output'));
    expect(tt).toContain('epoch_1  (output/epoch_1)  [torchtune, epoch 1 complete');
    expect(tt).toContain('resume             start epoch 2 (0-based) of range(2, 3)');
  });
});
