/**
 * HF Trainer folders that lack what a resume needs, made from the torch-made fixture
 * fixtures/hf_trainer/checkpoint-700 in a temporary copy: no optimizer.pt (Trainer restores
 * global_step, the optimizer and scheduler start afresh: `_load_optimizer_and_scheduler` needs
 * both files), only trainer_state.json (Trainer stops with "Can't find a valid checkpoint"), and a
 * trainer_state.json at max_steps (`DefaultFlowCallback` stops at once: a resume trains nothing).
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { analyzeFolder, OWN } from './support/fixtures';

const SOURCE = join(OWN, 'hf_trainer', 'checkpoint-700');
const expected = JSON.parse(readFileSync(join(SOURCE, 'expected.json'), 'utf8')) as { global_step: number; max_steps: number; steps_per_epoch: number; steps_into_epoch: number };
const temp = mkdtempSync(join(tmpdir(), 'ckptview-hfgaps-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** A copy of checkpoint-700 under `temp/<name>/checkpoint-700` keeping only `keep` (all when undefined). */
function copy(name: string, keep?: string[]): string {
  const dir = join(temp, name, 'checkpoint-700');
  cpSync(SOURCE, dir, { recursive: true });
  rmSync(join(dir, 'expected.json'));
  if (keep) for (const f of readdirSync(dir)) if (!keep.includes(f)) rmSync(join(dir, f));
  return dir;
}

describe('HF Trainer folders missing files', () => {
  test('no optimizer.pt: the optimizer and scheduler are not restored', async () => {
    const dir = copy('no-optimizer');
    rmSync(join(dir, 'optimizer.pt'));
    const { summaries } = await analyzeFolder(dir);
    const s = summaries[0];
    expect(s.kind).toBe('hf-trainer');
    expect(s.optimizer).toBeUndefined();
    expect(s.position).toMatchObject({ globalStep: expected.global_step, resumable: true, note: 'no optimizer.pt in this folder: Trainer resumes the step count, but the optimizer and LR scheduler start afresh.' });
    expect(s.warnings).toContain('checkpoint-700/trainer_state.json: no optimizer.pt beside it: Trainer restores global_step, but the optimizer and scheduler state start afresh');
  });

  test('only trainer_state.json: Trainer stops with "Can\'t find a valid checkpoint"', async () => {
    const dir = copy('state-only', ['trainer_state.json']);
    const { summaries } = await analyzeFolder(dir);
    const s = summaries[0];
    expect(s.kind).toBe('hf-trainer');
    expect(s.model).toBeUndefined();
    expect(s.position?.resumable).toBe(false);
    expect(s.warnings).toContain('checkpoint-700: no model weights in this folder: Trainer stops with "Can\'t find a valid checkpoint at checkpoint-700"');
  });

  test('global_step at max_steps mid-epoch: finished, a resume trains nothing; steps left stop at max_steps', async () => {
    const dir = copy('at-max-steps');
    const path = join(dir, 'trainer_state.json');
    // max_steps set explicitly to the saved global_step (74 steps into epoch 3 of 313)
    writeFileSync(path, readFileSync(path, 'utf8').replace(`"max_steps": ${expected.max_steps}`, `"max_steps": ${expected.global_step}`));
    const { summaries } = await analyzeFolder(dir);
    const s = summaries[0];
    expect(s.position).toMatchObject({ finished: true, globalStep: expected.global_step });
    expect(s.position?.resume).toBe(`train nothing: global_step ${expected.global_step} has reached max_steps ${expected.global_step} (the run finished); raise max_steps to train further`);
    expect(s.progress).toMatchObject({ status: 'incomplete', step: expected.steps_into_epoch, remainingBatches: 0 });
    expect(s.progress?.note).toBe(`Trainer counts optimizer update steps and resumes from global_step alone; max_steps ${expected.global_step} ends the run 0 steps after this save, ${expected.steps_per_epoch - expected.steps_into_epoch} steps before epoch 3 would end.`);
  });
});
