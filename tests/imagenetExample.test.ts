/**
 * The pytorch/examples ImageNet `main.py` style (scripts/fixtures_files.py): `epoch` is already the
 * next epoch (`start_epoch = checkpoint['epoch']`), `best_acc1` a 0-d tensor read from its bytes,
 * the model the `state_dict` (never the 0-d tensor).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeFolder, OWN } from './support/fixtures';

const x = JSON.parse(readFileSync(join(OWN, 'imagenet_example', 'expected.json'), 'utf8')) as Record<string, any>;

describe('ImageNet example checkpoint.pth.tar and model_best.pth.tar', async () => {
  const { summaries } = await analyzeFolder(join(OWN, 'imagenet_example'));

  test('both files: epoch 5 = next epoch, best_acc1 from its 0-d tensor, model = state_dict', () => {
    expect(summaries.map((s) => s.name).sort()).toEqual(['checkpoint.pth.tar', 'model_best.pth.tar']);
    expect(x.best_acc1_shape).toEqual([]);
    for (const s of summaries) {
      expect(s.kind, s.name).toBe('imagenet-example');
      expect(s.problems, s.name).toEqual([]);
      expect(s.position, s.name).toMatchObject({ epoch: x.epoch, epochsCompleted: x.resume_epoch, epochBase: 0, stepInEpoch: 0, finished: false, resumable: true });
      expect(s.position?.resume).toBe(`start epoch ${x.resume_epoch} (0-based; main.py sets start_epoch = checkpoint['epoch'], already the next epoch)`);
      expect(s.metrics).toEqual([{ name: 'best_acc1', value: x.best_acc1, best: true }]);
      expect(s.bestMetric).toEqual({ name: 'best_acc1', value: x.best_acc1 });
      expect(s.model?.parameters).toBe(x.model_parameters);
      expect(s.model?.tensors).toBe(x.model_tensors);
      expect(s.model?.file).toBe(`imagenet_example/${s.name} › state_dict`);
      expect(s.optimizer?.paramStates).toBe(x.optimizer_param_states);
      expect(s.scheduler?.lastEpoch).toBe(x.scheduler_last_epoch);
      expect(s.facts).toContainEqual({ label: 'arch', value: x.arch });
      expect(s.position?.note).toBe('ImageNet-example style: saves happen at epoch ends, with epoch = loop index + 1.');
    }
  });
});
