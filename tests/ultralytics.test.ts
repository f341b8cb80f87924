/**
 * Ultralytics v8/11 and YOLOv5 checkpoints written by real torch (scripts/fixtures_files.py, with
 * stand-in `ultralytics.nn.tasks.DetectionModel` / `models.yolo.DetectionModel` classes): the resume
 * rule of `BaseTrainer.resume_training` / YOLOv5 `smart_resume` (start_epoch = epoch + 1), a
 * stripped file (epoch -1) not resumable, metrics, train_args facts and the EMA module's parameters.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { CheckpointSummary } from '../src/core/conventions/summary';
import { analyzeFolder, OWN } from './support/fixtures';

type Json = Record<string, any>;
const readJson = (p: string): Json => JSON.parse(readFileSync(p, 'utf8')) as Json;
const byName = (list: CheckpointSummary[], name: string): CheckpointSummary => {
  const s = list.find((x) => x.name === name);
  if (!s) throw new Error(`no checkpoint ${name} in ${list.map((x) => x.name).join(', ')}`);
  return s;
};
const fact = (s: CheckpointSummary, label: string): string | undefined => s.facts?.find((f) => f.label === label)?.value;

describe('Ultralytics v8/11 run folder', async () => {
  const e = readJson(join(OWN, 'ultralytics', 'runs', 'detect', 'train', 'weights', 'expected.json'));
  const { summaries } = await analyzeFolder(join(OWN, 'ultralytics'));

  test('last.pt (unstripped): epoch index 4 of 10 done, a resume starts index 5', () => {
    const x = e['last.pt'];
    const s = byName(summaries, 'last.pt');
    expect(s.kind).toBe('ultralytics');
    expect(s.problems).toEqual([]);
    expect(s.position).toMatchObject({ epoch: x.epoch, epochsCompleted: x.epoch + 1, epochBase: 0, stepInEpoch: 0, plannedEpochs: x.train_args_epochs, finished: false, resumable: true });
    expect(s.position?.resume).toBe(`start epoch index ${x.epoch + 1} (shown as ${x.epoch + 2}/${x.train_args_epochs} in the Ultralytics log): resume_training sets start_epoch = epoch + 1`);
    expect(s.progress).toMatchObject({ epoch: x.epoch, status: 'complete', resume: { epoch: x.epoch + 1 } });
    expect(s.metrics).toContainEqual({ name: 'best_fitness', value: x.best_fitness, best: true });
    expect(s.metrics).toContainEqual({ name: 'train_metrics.fitness', value: x.train_metrics_fitness, best: false });
    expect(fact(s, 'train_args.epochs')).toBe(String(x.train_args_epochs));
    expect(fact(s, 'train_results')).toBe(`${x.train_results_epochs} epochs recorded`);
    expect(fact(s, 'version')).toBe(x.version);
    expect(s.history?.['metrics/mAP50(B)']).toHaveLength(x.train_results_epochs);
    expect(s.history?.epoch).toBeUndefined();
    expect(s.optimizer?.paramStates).toBe(x.optimizer_param_states);
    expect(s.optimizer?.steps).toBe(x.optimizer_steps);
    expect(s.model).toMatchObject({ architecture: x.model_class, parameters: x.model_parameters, dtypes: [x.model_dtype] });
    expect(s.model?.file).toBe('ultralytics/runs/detect/train/weights/last.pt › ema');
  });

  test('best.pt (stripped, epoch -1): finished, not resumable, never "start epoch 0"', () => {
    const x = e['best.pt'];
    const s = byName(summaries, 'best.pt');
    expect(x.epoch).toBe(-1);
    expect(s.kind).toBe('ultralytics');
    expect(s.position).toMatchObject({ epoch: -1, epochsCompleted: x.train_results_epochs, finished: true, resumable: false, plannedEpochs: x.train_args_epochs });
    expect(s.position?.resume).toContain('fail: epoch -1 means training ended and strip_optimizer removed the optimizer');
    expect(s.position?.resume).toContain(`train_results holds ${x.train_results_epochs} of ${x.train_args_epochs} epochs`);
    expect(s.position?.resume).not.toContain('start epoch 0');
    expect(s.optimizer).toBeUndefined();
    expect(s.metrics?.some((m) => m.name === 'best_fitness')).toBe(false);
    expect(s.model).toMatchObject({ architecture: x.model_class, parameters: x.model_parameters });
    expect(s.model?.file).toBe('ultralytics/runs/detect/train/weights/best.pt › model');
    expect(s.warnings).toContain('ultralytics/runs/detect/train/weights/best.pt: epoch -1: these are final weights (strip_optimizer removed the optimizer); training cannot be resumed from this file.');
    expect(s.repair.eligible).toBe(false);
  });
});

describe('YOLOv5', () => {
  test('last.pt: epoch index 2 of opt.epochs 30, a resume starts epoch 3; best_fitness is a numpy array', async () => {
    const x = readJson(join(OWN, 'yolov5', 'runs', 'train', 'exp', 'weights', 'expected.json'));
    const { summaries } = await analyzeFolder(join(OWN, 'yolov5'));
    const s = byName(summaries, 'last.pt');
    expect(s.kind).toBe('ultralytics');
    expect(fact(s, 'written by')).toBe('YOLOv5');
    expect(s.position).toMatchObject({ epoch: x.epoch, epochsCompleted: x.resume_epoch, plannedEpochs: x.opt_epochs, finished: false, resumable: true });
    expect(s.position?.resume).toBe(`start epoch ${x.resume_epoch} (shown as ${x.resume_epoch}/${x.opt_epochs - 1} in the YOLOv5 log): smart_resume sets start_epoch = epoch + 1`);
    expect(fact(s, 'best_fitness')).toBe(`a numpy array of shape [${x.best_fitness_shape.join(', ')}] (its value is not read)`);
    expect(fact(s, 'opt.epochs')).toBe(String(x.opt_epochs));
    expect(s.model).toMatchObject({ architecture: x.model_class, parameters: x.model_parameters });
    expect(s.optimizer?.paramStates).toBe(x.optimizer_param_states);
  });
});

describe('CLI', () => {
  test('inspect prints the Ultralytics label and resume lines, and the timm label', () => {
    const bin = join(__dirname, '..', 'bin', 'ckptview.mjs');
    const run = (dir: string) => spawnSync(process.execPath, [bin, 'inspect', join(OWN, dir)], { cwd: join(__dirname, '..'), encoding: 'utf8', timeout: 60_000 });
    const u = run('ultralytics');
    expect(u.stdout).toContain('last.pt  (ultralytics/runs/detect/train/weights)  [Ultralytics, epoch 4 complete,');
    expect(u.stdout).toContain('  resume             start epoch index 5 (shown as 6/10 in the Ultralytics log): resume_training sets start_epoch = epoch + 1');
    expect(u.stdout).toContain('best.pt  (ultralytics/runs/detect/train/weights)  [Ultralytics, finished,');
    expect(u.stdout).toContain('  Finished: a resume would fail: epoch -1 means training ended and strip_optimizer removed the optimizer');
    const t = run('timm');
    expect(t.stdout).toContain('last.pth.tar  (timm/output/train/20261130-101500-resnet_tiny-32)  [timm, epoch 3 complete,');
    expect(t.stdout).toContain('  Epoch 4 is incomplete: a resume would start epoch 5 of 10 from batch 0');
  });
});
