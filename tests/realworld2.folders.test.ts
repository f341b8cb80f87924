/**
 * Conformance on the real Accelerate / diffusers folders of ../shared/realworld2 (see its
 * README): accel_flame (one Accelerate folder; model = pytorch_model.bin; custom_checkpoint_0.pkl
 * a registered ReduceLROnPlateau; random_states_0.pkl is RNG state) and diffusers_checkpoint500
 * (global step 500 from the folder name, agreeing with scheduler.bin; random_states step 24 is the
 * gradient-accumulation counter). Values from each case's truth.json (what torch.load returned).
 * Skipped when ../shared/realworld2 is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeFolder, ROOT } from './support/fixtures';
import type { CheckpointSummary } from '../src/core/conventions/summary';

const RW2 = join(ROOT, '..', 'shared', 'realworld2');
type TruthFile = { keys: string[]; prog: Record<string, number>; best: Record<string, number>; params: number | null };
const truth = (name: string): Record<string, TruthFile> => (JSON.parse(readFileSync(join(RW2, `${name}.truth.json`), 'utf8')) as { files: Record<string, TruthFile> }).files;
const fact = (s: CheckpointSummary, label: string): string | undefined => s.facts?.find((f) => f.label === label)?.value;

describe.skipIf(!existsSync(RW2))('realworld2 folder-layout cases', () => {
  test('accel_flame: one Accelerate checkpoint, model = pytorch_model.bin, RNG state is not the model', async () => {
    const t = truth('accel_flame');
    const { plan, summaries } = await analyzeFolder(join(RW2, 'accel_flame'));
    expect(plan.checkpoints.map((c) => [c.name, c.convention])).toEqual([['accel_flame', 'accelerate']]);
    const [s] = summaries;
    expect(s.kind).toBe('accelerate');
    expect(s.files.map((f) => f.path).sort()).toEqual(Object.keys(t).sort());
    expect(s.model?.file).toBe('accel_flame/pytorch_model.bin');
    expect(s.model?.parameters).toBe(t['accel_flame/pytorch_model.bin'].params);
    expect(s.model?.parameters).toBe(2_255_236);
    expect(s.files.find((f) => f.path === 'accel_flame/random_states_0.pkl')?.role).toBe('RNG state');
    expect(t['accel_flame/random_states_0.pkl'].keys).not.toContain('step');
    expect(fact(s, 'random_states_0.pkl step')).toBe('not saved (accelerate versions before the gradient-accumulation counter was stored)');
    expect(fact(s, 'RNG state')).toBe(`1 random_states_*.pkl (one per process): ${t['accel_flame/random_states_0.pkl'].keys.join(', ')}; RNG state, not model weights`);
    const custom = t['accel_flame/custom_checkpoint_0.pkl'];
    expect(custom.keys).toContain('mode_worse');
    expect(fact(s, 'custom_checkpoint_0.pkl')).toBe("registered object (register_for_checkpointing): torch.optim.lr_scheduler.ReduceLROnPlateau state_dict (mode 'min', best inf, num_bad_epochs 0, patience 10, factor 0.1, last_epoch 0)");
    expect(s.position?.globalStep).toBeUndefined();
    expect(s.position?.resume).toBe('load_state restores optimizer, RNG and 1 registered object; nothing in the folder records the step or epoch: the training script decides where training restarts');
    expect(s.metrics).toEqual([]);
    expect(Object.values(t).every((f) => Object.keys(f.best).length === 0)).toBe(true);
  });

  test('diffusers_checkpoint500: global step 500 from the folder name, agreeing with scheduler.bin; step 24 is the accumulation counter', async () => {
    const t = truth('diffusers_checkpoint500');
    const { plan, summaries } = await analyzeFolder(join(RW2, 'diffusers_checkpoint500'));
    expect(plan.checkpoints.map((c) => [c.name, c.convention])).toEqual([['checkpoint-500', 'accelerate']]);
    const [s] = summaries;
    const last = t['diffusers_checkpoint500/checkpoint-500/scheduler.bin'].prog['scheduler.last_epoch'];
    const rngStep = t['diffusers_checkpoint500/checkpoint-500/random_states_0.pkl'].prog.step;
    expect(last).toBe(500);
    expect(rngStep).toBe(24);
    expect(s.position?.globalStep).toBe(500);
    expect(s.scheduler?.lastEpoch).toBe(last);
    expect(fact(s, 'folder name')).toBe('checkpoint-500: global step 500 (diffusers naming)');
    expect(fact(s, 'scheduler.bin last_epoch')).toBe(`${last} (agrees with the folder name checkpoint-500)`);
    expect(fact(s, 'random_states_0.pkl step')).toBe(`${rngStep}: Accelerate's gradient-accumulation micro-step counter (Accelerator.step, reset at each dataloader end), not training progress`);
    expect(s.model).toBeUndefined();
    expect(s.position?.resume).toBe('load_state restores scheduler and RNG at global step 500; the training script decides the epoch (diffusers: first_epoch = global_step // num_update_steps_per_epoch)');
    expect(s.metrics).toEqual([]);
  });
});
