/** The documented `inspect --json` contract (docs/inspect-json.md), on the project's own fixtures. */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeInputs } from '../src/cli/analyzeInputs';
import { collectInputs } from '../src/cli/collectInputs';
import { inspectJson } from '../src/cli/toJson';
import { OWN } from './support/fixtures';
import { readFileSync } from 'node:fs';

async function inspect(rel: string): Promise<{ schemaVersion: number; checkpoints: Record<string, unknown>[] }> {
  const result = await analyzeInputs(await collectInputs([join(OWN, rel)]));
  return JSON.parse(inspectJson(result, 0));
}

describe('inspect --json', () => {
  test('EnStack: convention, position, metrics, model and safety in the documented fields', async () => {
    const e = JSON.parse(readFileSync(join(OWN, 'enstack/last_checkpoint/expected.json'), 'utf8'));
    const doc = await inspect('enstack/last_checkpoint');
    expect(doc.schemaVersion).toBe(2);
    const c = doc.checkpoints[0] as Record<string, any>;
    expect(c.convention).toBe('enstack');
    expect(c.conventionLabel).toBe('EnStack');
    // epoch 2 saved at step 1200 of 1500: one epoch done, 1200 batches into the second
    expect(c.position).toMatchObject({ epochsCompleted: e.epoch - 1, epoch: e.epoch, epochBase: 1, stepInEpoch: e.step, stepsPerEpoch: e.total_batches, stepUnit: 'batches', finished: false, resumable: true });
    expect(c.position.resume).toBe(e.resume);
    expect(c.metrics).toEqual([
      { name: 'best_val_f1', value: e.best_val_f1, best: true },
      { name: 'best_val_acc', value: e.best_val_acc, best: true },
    ]);
    expect(c.model.parameters).toBe(e.model_parameters);
    expect(typeof c.safety.verdict).toBe('string');
  });

  test('HF Trainer: optimizer steps as the unit, global step and planned epochs', async () => {
    const e = JSON.parse(readFileSync(join(OWN, 'hf_trainer/checkpoint-700/expected.json'), 'utf8'));
    const doc = await inspect('hf_trainer/checkpoint-700');
    const c = doc.checkpoints[0] as Record<string, any>;
    expect(c.convention).toBe('hf-trainer');
    expect(c.position.stepUnit).toBe('optimizer steps');
    expect(c.position.globalStep).toBe(e.global_step);
    expect(c.metrics).toEqual([{ name: e.training_args.metric_for_best_model ? `eval_${e.training_args.metric_for_best_model}`.replace("eval_eval_", "eval_") : "best_metric", value: e.best_metric, best: true }]);
    expect(c.position.epochsCompleted).toBe(e.epochs_completed);
    expect(c.position.stepsPerEpoch).toBe(e.steps_per_epoch);
    expect(c.position.plannedEpochs).toBe(e.num_train_epochs);
    expect(c.position.stepInEpoch).toBe(e.steps_into_epoch);
  });
});
