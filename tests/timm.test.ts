/**
 * timm run folder written by real torch (scripts/fixtures_files.py): `CheckpointSaver` files with
 * `version` 2 and an `argparse.Namespace` `args`. Resume rule of
 * `timm/models/_helpers.py:resume_checkpoint`: epoch + 1 for version 2, epoch for older files; a
 * recovery file resumes at the next epoch from batch 0.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { timmFileKind } from '../src/core/conventions/timm/fileName';
import { timmPosition, timmResumeEpoch } from '../src/core/conventions/timm/position';
import type { CheckpointSummary } from '../src/core/conventions/summary';
import { analyzeFolder, OWN } from './support/fixtures';

type Json = Record<string, any>;
const expected = JSON.parse(readFileSync(join(OWN, 'timm', 'output', 'train', '20261130-101500-resnet_tiny-32', 'expected.json'), 'utf8')) as Record<string, Json>;
const fact = (s: CheckpointSummary, label: string): string | undefined => s.facts?.find((f) => f.label === label)?.value;

describe('timm run folder', async () => {
  const { summaries } = await analyzeFolder(join(OWN, 'timm'));

  test('every .pth.tar is read as timm with the values torch.load returned', () => {
    expect(summaries.map((s) => s.name).sort()).toEqual(Object.keys(expected).sort());
    for (const s of summaries) {
      const x = expected[s.name];
      expect(s.kind, s.name).toBe('timm');
      expect(s.problems, s.name).toEqual([]);
      expect(s.position?.epoch, s.name).toBe(x.epoch);
      expect(s.position?.plannedEpochs, s.name).toBe(x.args_epochs);
      expect(fact(s, 'args.epochs'), s.name).toBe(String(x.args_epochs));
      expect(fact(s, 'args.batch_size'), s.name).toBe(String(x.args_batch_size));
      expect(fact(s, 'arch'), s.name).toBe(x.arch);
      expect(fact(s, 'version'), s.name).toBe(String(x.version));
      expect(fact(s, 'state_dict_ema'), s.name).toBe(`${x.ema_tensors} tensors (model EMA)`);
      expect(s.model?.parameters, s.name).toBe(x.model_parameters);
      expect(s.optimizer?.paramStates, s.name).toBe(x.optimizer_param_states);
      expect(s.progress?.resume.epoch, s.name).toBe(x.resume_epoch);
    }
  });

  test('last.pth.tar: epoch 3 (version 2) done, a resume starts epoch 4 of 10', () => {
    const x = expected['last.pth.tar'];
    const s = summaries.find((v) => v.name === 'last.pth.tar')!;
    expect(s.position).toMatchObject({ epochsCompleted: x.resume_epoch, stepInEpoch: 0, finished: false, resumable: true });
    expect(s.position?.resume).toBe(`start epoch ${x.resume_epoch} of ${x.args_epochs} (resume_checkpoint: epoch + 1, version 2)`);
    expect(s.metrics).toEqual([{ name: 'metric (top1)', value: x.metric, best: false }]);
  });

  test('model_best.pth.tar: its metric is the best', () => {
    const x = expected['model_best.pth.tar'];
    const s = summaries.find((v) => v.name === 'model_best.pth.tar')!;
    expect(s.metrics).toEqual([{ name: 'metric (top1)', value: x.metric, best: true }]);
    expect(s.bestMetric).toEqual({ name: 'metric (top1)', value: x.metric });
  });

  test('recovery-4-50.pth.tar: 51 updates into epoch 4, resumed at epoch 5 from batch 0 (the rest of epoch 4 is skipped)', () => {
    const x = expected['recovery-4-50.pth.tar'];
    const s = summaries.find((v) => v.name === 'recovery-4-50.pth.tar')!;
    expect(x.metric).toBeNull();
    expect(s.metrics).toEqual([]);
    expect(s.position).toMatchObject({ epochsCompleted: x.epoch, stepInEpoch: 51, stepUnit: 'optimizer steps', finished: false });
    expect(s.progress).toMatchObject({ epoch: x.epoch, status: 'incomplete', resume: { epoch: x.resume_epoch, step: 0 } });
    expect(s.position?.resume).toBe(`start epoch ${x.resume_epoch} of ${x.args_epochs} from batch 0: a recovery file saved 51 updates into epoch ${x.epoch}, and timm's resume skips the rest of that epoch (resume_checkpoint returns epoch ${x.resume_epoch})`);
    expect(fact(s, 'recovery file')).toBe(`epoch ${x.epoch}, update index 50 (from the file name)`);
  });

  test('the args Namespace is flagged only as outside the weights_only allowlist (no code runs)', () => {
    const s = summaries.find((v) => v.name === 'last.pth.tar')!;
    expect(s.safety?.findings.map((f) => f.name)).toContain('argparse.Namespace');
    expect(s.safety?.findings.filter((f) => f.verdict === 'dangerous')).toEqual([]);
  });
});

describe('timm rules', () => {
  test('file names', () => {
    expect(timmFileKind('recovery-12-300.pth.tar')).toEqual({ kind: 'recovery', epoch: 12, batchIdx: 300 });
    expect(timmFileKind('checkpoint-7.pth.tar')).toEqual({ kind: 'checkpoint', epoch: 7 });
    expect(timmFileKind('model_best.pth.tar')).toEqual({ kind: 'best' });
    expect(timmFileKind('last.pth.tar')).toEqual({ kind: 'last' });
    expect(timmFileKind('weights.pth')).toEqual({ kind: 'other' });
  });

  test('resume epoch: +1 for version 2, as saved for files without version', () => {
    expect(timmResumeEpoch(3, 2)).toBe(4);
    expect(timmResumeEpoch(3, undefined)).toBe(3);
    expect(timmResumeEpoch(3, 1)).toBe(3);
    const old = timmPosition({ epoch: 10, version: undefined, plannedEpochs: 10, fileKind: { kind: 'last' }, hasOptimizer: true });
    expect(old).toMatchObject({ epochsCompleted: 10, finished: true });
    expect(old.resume).toBe('train nothing: resume_checkpoint returns epoch 10, which is args.epochs (10): the run is finished');
  });
});
