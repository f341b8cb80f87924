/**
 * The whole analysis pipeline (plan -> convention reader -> summary) on every Hugging Face,
 * Lightning and real-world input: the summary the page shows carries the values torch.load
 * returned (expected.json files). Reader details are covered by hfTrainer/lightning tests.
 */
import { describe, expect, test } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointSummary } from '../src/core/conventions/summary';
import { analyzeFolder, OWN, REALWORLD, SHARED } from './support/fixtures';

interface HfExpected {
  global_step: number;
  epochs_completed: number;
  steps_into_epoch: number;
  steps_per_epoch: number;
  best_metric: number;
  optimizer_steps: number;
  eval_points: number;
}

function hfFolders(root: string): string[] {
  const dir = join(root, 'hf_trainer');
  return existsSync(dir) ? readdirSync(dir).map((n) => join(dir, n)) : [];
}

function checkHf(dir: string): void {
  test(dir, async () => {
    const e = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as HfExpected;
    const { summaries } = await analyzeFolder(dir);
    expect(summaries.map((s) => s.kind)).toEqual(['hf-trainer']);
    const s = summaries[0];
    expect(s.problems).toEqual([]);
    expect(s.hf?.globalStep).toBe(e.global_step);
    expect(s.hf?.epochsCompleted).toBe(e.epochs_completed);
    expect(s.hf?.stepsIntoEpoch).toBe(e.steps_into_epoch);
    expect(s.hf?.stepsPerEpoch).toBe(e.steps_per_epoch);
    expect(s.bestMetric?.value).toBe(e.best_metric);
    expect(s.optimizer?.steps).toBe(e.optimizer_steps);
    expect(s.hf?.evalPoints.length).toBe(e.eval_points);
    // the common progress: epoch = completed + 1, steps into it, out of steps per epoch
    expect(s.progress).toMatchObject({ epoch: e.epochs_completed + 1, step: e.steps_into_epoch, totalBatches: e.steps_per_epoch, status: 'incomplete' });
    expect(s.model?.parameters).toBeGreaterThan(0);
    expect(s.safety?.verdict).not.toBe('dangerous');
  });
}

describe('Hugging Face Trainer folders', () => {
  for (const d of hfFolders(OWN)) checkHf(d);
  for (const d of hfFolders(SHARED)) checkHf(d);
});

interface LightningExpected {
  epoch: number;
  global_step: number;
  best_model_score: number;
  monitor: string;
  batches_done_in_epoch: number;
}

function checkLightningDir(dir: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.ckpt'))) {
    test(join(dir, name), async () => {
      const e = JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8')) as LightningExpected;
      const { summaries } = await analyzeFolder(dir);
      const s = summaries.find((x) => x.name === name) as CheckpointSummary;
      expect(s.kind).toBe('lightning');
      expect(s.lightning?.epoch).toBe(e.epoch);
      expect(s.lightning?.globalStep).toBe(e.global_step);
      expect(s.progress?.epoch).toBe(e.epoch);
      expect(s.progress?.step).toBe(e.batches_done_in_epoch);
      expect(s.bestMetric?.name).toBe(e.monitor);
      expect(s.bestMetric?.value).toBeCloseTo(e.best_model_score, 4);
      expect(s.problems).toEqual([]);
    });
  }
}

describe('Lightning checkpoints', () => {
  checkLightningDir(join(OWN, 'lightning'));
  checkLightningDir(join(SHARED, 'lightning'));
});

describe.skipIf(!existsSync(REALWORLD))('real-world files parse (../shared/realworld)', () => {
  test('hf_old_schema', async () => {
    const { summaries } = await analyzeFolder(join(REALWORLD, 'hf_old_schema', 'checkpoint-500'));
    expect(summaries).toHaveLength(1);
    expect(summaries[0].kind).toBe('hf-trainer');
    expect(summaries[0].problems).toEqual([]);
    expect(summaries[0].hf?.epoch).toBeCloseTo(1.282, 3);
  });
  test('lightning_lstm', async () => {
    const { summaries } = await analyzeFolder(join(REALWORLD, 'lightning_lstm'));
    expect(summaries.length).toBe(2);
    const last = summaries.find((s) => s.name === 'last.ckpt')!;
    expect(last.kind).toBe('lightning');
    expect(last.lightning?.epoch).toBe(99);
    expect(last.lightning?.globalStep).toBe(19000);
    expect(last.lightning?.lightningVersion).toBe('2.4.0');
  });
  test('torch_reader_cases: each file as torch.load saw it', async () => {
    const dir = join(REALWORLD, 'torch_reader_cases');
    const { summaries } = await analyzeFolder(dir);
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.pt'))) {
      const e = JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8')) as { loads: boolean; summary?: Record<string, { tensor?: string; shape?: number[] } | number> };
      const s = summaries.find((x) => x.name === name)!;
      if (!e.loads) {
        expect(s.problems.length, name).toBeGreaterThan(0);
        expect(s.problems[0].code).not.toBe('internal');
        continue;
      }
      expect(s.problems, name).toEqual([]);
      // tensors listed with the dtype and shape torch.load returned
      for (const [key, v] of Object.entries(e.summary ?? {})) {
        if (typeof v === 'object' && v.tensor) {
          const t = s.model?.tensorList?.find((x) => x.name === key);
          expect(t, `${name}: tensor ${key} listed`).toBeDefined();
          expect([t?.dtype, t?.shape], `${name} ${key}`).toEqual([v.tensor, v.shape]);
        }
      }
    }
    const ckpt = summaries.find((x) => x.name === 'checkpoint.pt')!;
    const e = JSON.parse(readFileSync(join(dir, 'checkpoint.pt.expected.json'), 'utf8')) as { summary: { epoch: number; optimizer_state_dict: { state: Record<string, unknown> } } };
    expect(ckpt.model?.tensors).toBe(4);
    // the tutorial layout: epoch without step, optimizer state without param_groups
    expect(ckpt.progress?.epoch).toBe(e.summary.epoch);
    expect(ckpt.progress?.stepSaved).toBe(false);
    expect(ckpt.progress?.status).toBe('unknown');
    expect(ckpt.optimizer?.paramStates).toBe(Object.keys(e.summary.optimizer_state_dict.state).length);
  });
});

describe('the PyTorch tutorial layout (epoch, no step)', () => {
  test('own fixture: epoch shown, step not saved, optimizer and model read', async () => {
    const dir = join(OWN, 'tutorial');
    const e = JSON.parse(readFileSync(join(dir, 'checkpoint.pt.expected.json'), 'utf8')) as { epoch: number; model_parameters: number; model_tensors: number; optimizer_param_states: number };
    const { summaries } = await analyzeFolder(dir);
    const s = summaries[0];
    expect(s.kind).toBe('generic');
    expect(s.progress).toMatchObject({ epoch: e.epoch, stepSaved: false, status: 'unknown' });
    expect(s.model?.parameters).toBe(e.model_parameters);
    expect(s.model?.tensors).toBe(e.model_tensors);
    expect(s.optimizer?.paramStates).toBe(e.optimizer_param_states);
    expect(s.repair.eligible).toBe(false);
  });
});
