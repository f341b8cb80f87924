/**
 * kohya sd-scripts state folders (fixtures/kohya, real torch via scripts/fixtures_folders.py):
 * resume from `current_step` alone; the kohya_ss #2771 bug (current_step restarted after a resume)
 * detected against the optimizer's own step count. Values from each expected.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeFolder, OWN } from './support/fixtures';
import { conventionById } from '../src/core/conventions/registry';
import { checkKohyaSteps, kohyaFolderName } from '../src/core/conventions/kohya/trainState';

const K = join(OWN, 'kohya');
type Json = Record<string, unknown> & { train_state: { current_epoch: number; current_step: number } };
const json = (p: string): Json => JSON.parse(readFileSync(p, 'utf8')) as Json;

describe('kohya run with two states', async () => {
  const { plan, summaries } = await analyzeFolder(join(K, 'run'));
  const byName = new Map(summaries.map((s) => [s.name, s]));

  test('each *-state folder is one kohya checkpoint with its train_state.json', () => {
    expect(plan.checkpoints.map((c) => [c.name, c.convention])).toEqual([
      ['run-000002-state', 'kohya'],
      ['run-000004-state', 'kohya'],
    ]);
    for (const name of ['run-000002-state', 'run-000004-state']) {
      const e = json(join(K, `${name}.expected.json`));
      const s = byName.get(name)!;
      expect(s.files.map((f) => f.path.replace('run/', '')).sort()).toEqual(e.files);
      expect(s.files.find((f) => f.path.endsWith('train_state.json'))?.role).toBe('kohya train state');
      expect(s.position?.globalStep).toBe(e.train_state.current_step);
      expect(s.position?.epoch).toBe(e.train_state.current_epoch);
      expect(s.optimizer?.steps).toBe(e.optimizer_steps);
      expect(s.model?.parameters).toBe(e.model_parameters);
    }
  });

  test('a consistent state: steps per epoch from the optimizer, resume at epoch 3', () => {
    const e = json(join(K, 'run-000002-state.expected.json'));
    const s = byName.get('run-000002-state')!;
    const per = (e.optimizer_steps as number) / e.train_state.current_epoch;
    expect(s.position?.stepsPerEpoch).toBe(per);
    expect(s.position?.epochsCompleted).toBe(Math.floor(e.train_state.current_step / per));
    expect(s.position?.resume).toBe(`train_network.py reads only current_step ${e.train_state.current_step}: epoch_to_start = ${e.train_state.current_step} // ${per} = 2 (starts epoch 3, 1-based); global_step restarts at 0 unless --skip_until_initial_step`);
    expect(s.warnings).toEqual([]);
  });

  test('current_step restarted after a resume: a warning naming kohya_ss #2771', () => {
    const e = json(join(K, 'run-000004-state.expected.json'));
    const s = byName.get('run-000004-state')!;
    const per = (e.optimizer_steps as number) / e.train_state.current_epoch;
    expect(s.position?.stepsPerEpoch).toBe(per);
    expect(s.position?.epochsCompleted).toBe(2);
    expect(s.warnings).toEqual([
      `run/run-000004-state/train_state.json: current_step ${e.train_state.current_step} is smaller than the ${e.optimizer_steps as number} steps the optimizer has taken (current_epoch ${e.train_state.current_epoch}, ${per} steps per epoch): global_step restarted at 0 after a resume without --skip_until_initial_step (kohya_ss #2771); resuming from it starts epoch 3 instead of 5; current_step should be ${e.train_state.current_epoch * per}`,
    ]);
    expect(s.repair.reason).toContain(`set current_step to ${e.train_state.current_epoch * per}`);
    // the state a user resumes from is the last saved one, not the one with the larger current_step
    expect(conventionById('kohya')?.pickResume?.(summaries)?.name).toBe('run-000004-state');
  });
});

describe('kohya rules', () => {
  test('folder names', () => {
    expect(kohyaFolderName('out/lora-000012-state')).toEqual({ kind: 'epoch', n: 12 });
    expect(kohyaFolderName('lora-step00001500-state')).toEqual({ kind: 'step', n: 1500 });
    expect(kohyaFolderName('lora-state')).toEqual({ kind: 'final' });
    expect(kohyaFolderName('checkpoint-5')).toBeUndefined();
  });
  test('the issue #2771 numbers: current_epoch 25, current_step 60', () => {
    // 25 epochs of 12 steps = 300 optimizer updates; current_step 60 after a resume
    expect(checkKohyaSteps({ currentEpoch: 25, currentStep: 60 }, 300, { kind: 'epoch', n: 25 })).toEqual({ stepsPerEpoch: 12, restarted: true, expectedStep: 300 });
    // the one-step lag the source corrects is not a restart
    expect(checkKohyaSteps({ currentEpoch: 2, currentStep: 19 }, 20, { kind: 'epoch', n: 2 })).toEqual({ stepsPerEpoch: 10, restarted: false, expectedStep: 20 });
    // no optimizer: nothing can be told
    expect(checkKohyaSteps({ currentEpoch: 4, currentStep: 20 }, undefined, { kind: 'epoch', n: 4 })).toEqual({ stepsPerEpoch: undefined, restarted: false, expectedStep: undefined });
  });
});
