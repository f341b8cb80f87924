/**
 * Accelerate `save_state` folders (fixtures/accelerate, written with real torch by
 * scripts/fixtures_folders.py): one checkpoint per folder, the step from the folder name or the
 * scheduler, never from random_states' `step`; the diffusers `unet/` sub-folder is the model.
 * Every value is compared with the fixture's expected.json (what torch.load returned).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeFolder, OWN, ROOT } from './support/fixtures';
import type { CheckpointSummary } from '../src/core/conventions/summary';
import { conventionById } from '../src/core/conventions/registry';
import { folderNameMeaning } from '../src/core/conventions/accelerate/folderName';
import { accelerateGlobalStep } from '../src/core/conventions/accelerate/index';
import type { AccelerateState } from '../src/core/conventions/accelerate/readAccelerate';

const ACC = join(OWN, 'accelerate');
type Json = Record<string, unknown>;
const json = (p: string): Json => JSON.parse(readFileSync(p, 'utf8')) as Json;
const fact = (s: CheckpointSummary, label: string): string | undefined => s.facts?.find((f) => f.label === label)?.value;

describe('Accelerate project with automatic_checkpoint_naming', () => {
  test('checkpoint_0 and checkpoint_1 are two checkpoints, each one folder', async () => {
    const { plan, summaries } = await analyzeFolder(join(ACC, 'project'));
    expect(plan.checkpoints.map((c) => [c.name, c.convention])).toEqual([
      ['checkpoint_0', 'accelerate'],
      ['checkpoint_1', 'accelerate'],
    ]);
    for (const [i, s] of summaries.entries()) {
      const e = json(join(ACC, 'project', `checkpoint_${i}.expected.json`));
      expect(s.kind).toBe(e.kind);
      expect(s.files.map((f) => f.path.replace('project/checkpoints/', '')).sort()).toEqual(e.files);
      expect(s.position?.globalStep).toBe(e.scheduler_last_epoch);
      expect(s.scheduler?.lastEpoch).toBe(e.scheduler_last_epoch);
      expect(s.optimizer?.steps).toBe(e.optimizer_steps);
      expect(s.optimizer?.paramStates).toBe(e.optimizer_param_states);
      expect(s.model?.parameters).toBe(e.model_parameters);
      expect(s.model?.file).toBe(`project/checkpoints/${e.model_file as string}`);
      expect(fact(s, 'random_states_0.pkl step')).toBe(`${e.random_states_step as number}: Accelerate's gradient-accumulation micro-step counter (Accelerator.step, reset at each dataloader end), not training progress`);
      expect(fact(s, 'folder name')).toBe(`checkpoint_${e.save_index as number}: save number ${e.save_index as number} from 0 (automatic_checkpoint_naming), not a step`);
      expect(fact(s, 'custom_checkpoint_0.pkl')).toContain(`torch.optim.lr_scheduler.ReduceLROnPlateau state_dict`);
      expect(fact(s, 'custom_checkpoint_0.pkl')).toContain(`last_epoch ${e.custom_checkpoint_last_epoch as number}`);
      expect(s.position?.resume).toBe(`load_state restores optimizer, scheduler, ${i === 1 ? 'grad scaler, ' : ''}RNG and 1 registered object at global step ${e.scheduler_last_epoch as number}; the training script decides the epoch (diffusers: first_epoch = global_step // num_update_steps_per_epoch)`);
      expect(s.position?.resumable).toBe(true);
      expect(s.progress).toBeUndefined();
      expect(s.files.find((f) => f.path.endsWith('random_states_0.pkl'))?.role).toBe('RNG state');
      expect(s.warnings).toEqual([]);
    }
    expect(summaries[1].scaler?.scale).toBe(json(join(ACC, 'project', 'checkpoint_1.expected.json')).scaler_scale);
    // load_state() without a path picks the highest checkpoint_N
    expect(conventionById('accelerate')?.pickResume?.(summaries)?.name).toBe('checkpoint_1');
  });
});

describe('diffusers checkpoint-200 with a unet/ sub-folder', () => {
  test('one checkpoint; global step from the folder name agrees with scheduler.bin; the model is unet/', async () => {
    const e = json(join(ACC, 'diffusers', 'expected.json'));
    const { plan, summaries } = await analyzeFolder(join(ACC, 'diffusers'));
    expect(plan.checkpoints).toHaveLength(1);
    const [s] = summaries;
    expect(s.kind).toBe('accelerate');
    expect(s.files.map((f) => f.path.replace('diffusers/', '')).sort()).toEqual(e.files);
    expect(s.position?.globalStep).toBe(e.global_step);
    expect(s.scheduler?.lastEpoch).toBe(e.scheduler_last_epoch);
    expect(fact(s, 'scheduler.bin last_epoch')).toBe(`${e.scheduler_last_epoch as number} (agrees with the folder name checkpoint-200)`);
    expect(fact(s, 'random_states_0.pkl step')).toMatch(new RegExp(`^${e.random_states_step as number}: Accelerate's gradient-accumulation`));
    expect(s.model?.file).toBe(`diffusers/${e.model_file as string}`);
    expect(s.model?.parameters).toBe(e.model_parameters);
    expect(s.optimizer?.steps).toBe(e.optimizer_steps);
    expect(s.position?.resume).toBe('load_state restores optimizer, scheduler and RNG at global step 200; the training script decides the epoch (diffusers: first_epoch = global_step // num_update_steps_per_epoch)');
  });

  test('the CLI prints the Accelerate label and the resume line', () => {
    const r = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'inspect', join(ACC, 'diffusers')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout).toContain('checkpoint-200  (diffusers/checkpoint-200)  [Accelerate, status unknown,');
    expect(r.stdout).toContain('resume             load_state restores optimizer, scheduler and RNG at global step 200;');
  });
});

describe('Accelerate rules', () => {
  test('folder names (CONVENTIONS.md §3)', () => {
    expect(folderNameMeaning('out/checkpoint-500')).toEqual({ kind: 'global-step', n: 500 });
    expect(folderNameMeaning('proj/checkpoints/checkpoint_3')).toEqual({ kind: 'save-index', n: 3 });
    expect(folderNameMeaning('epoch_2')).toEqual({ kind: 'epoch', n: 2 });
    expect(folderNameMeaning('step_1200')).toEqual({ kind: 'batches', n: 1200 });
    expect(folderNameMeaning('accel_flame')).toBeUndefined();
  });

  test('scheduler last_epoch = processes x the folder step; a disagreement is a warning', () => {
    const state = (lastEpoch: number): AccelerateState => ({ model: undefined, optimizer: undefined, scheduler: { lastEpoch, lastLr: undefined }, scaler: undefined, rngStep: undefined, rngFiles: 1, restored: [], facts: [] });
    const warnings: string[] = [];
    expect(accelerateGlobalStep({ kind: 'global-step', n: 500 }, state(2000), 'out/checkpoint-500', warnings)).toEqual({
      step: 500,
      facts: [{ label: 'scheduler.bin last_epoch', value: '2000 = 4 x 500: Accelerate steps a prepared scheduler once per process, so 4 processes' }],
    });
    expect(warnings).toEqual([]);
    expect(accelerateGlobalStep({ kind: 'global-step', n: 500 }, state(750), 'out/checkpoint-500', warnings).step).toBe(500);
    expect(warnings).toEqual(['out/checkpoint-500: the folder name says global step 500, scheduler.bin last_epoch is 750']);
  });
});
