/**
 * The version-dependent update steps per epoch of HF Trainer (floor up to transformers 4.51, ceil
 * from 4.52, PR #37923) and the batch count recovered from trainer_state.json's epoch
 * (`src/core/conventions/hfTrainer/updateStepsRule.ts`).
 */
import { describe, expect, test } from 'vitest';
import { batchesPerEpochOf, updateStepsRule, usesCeil } from '../src/core/conventions/hfTrainer/updateStepsRule';

describe('HF update steps per epoch', () => {
  test('versions: 4.51 floors, 4.52 and later ceil, no version unknown', () => {
    expect(usesCeil('4.51.3')).toBe(false);
    expect(usesCeil('4.31.0')).toBe(false);
    expect(usesCeil('4.52.0')).toBe(true);
    expect(usesCeil('5.23.0')).toBe(true);
    expect(usesCeil(undefined)).toBeUndefined();
    expect(usesCeil('main')).toBeUndefined();
  });

  test('batches per epoch from the logged epoch: epochs done + batches done / len(dataloader)', () => {
    // 225 batches, GA 4, ceil U 57: after 100 updates, 1 epoch + 43 x 4 = 172 batches -> epoch 1.76444...
    expect(batchesPerEpochOf(100, 1 + 172 / 225, 57, 4)).toBe(225);
    // at an epoch boundary the fraction is 0: nothing to recover
    expect(batchesPerEpochOf(114, 2, 57, 4)).toBeUndefined();
    // a fraction that gives no whole batch count
    expect(batchesPerEpochOf(10, 0.3, 40, 1)).toBeUndefined();
  });

  test('both readings, and the one the version applies', () => {
    expect(updateStepsRule(225, 4, '4.51.0')).toMatchObject({ floor: 56, ceil: 57, applies: 'floor' });
    expect(updateStepsRule(225, 4, '4.52.1')).toMatchObject({ floor: 56, ceil: 57, applies: 'ceil' });
    expect(updateStepsRule(224, 4, undefined)).toMatchObject({ floor: 56, ceil: 56, applies: undefined, text: '56 update steps per epoch (224 batches / gradient_accumulation_steps 4; floor and ceil agree)' });
    expect(updateStepsRule(3, 4, '4.40.0')).toMatchObject({ floor: 1, ceil: 1 });
  });
});
