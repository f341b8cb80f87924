/**
 * The generic fallback on plain-script files written by real torch (scripts/fixtures_files.py):
 * the model = the candidate state dict with the most tensors (a 0-d metric tensor at the root never
 * wins), quantized tensors and packed params counted, `iteration` as the step, an epoch in the file
 * name, and a legacy-format `.t7` recognised by its bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { epochInFileName } from '../src/core/conventions/generic/stepAliases';
import { analyzeFolder, OWN } from './support/fixtures';

type Json = Record<string, any>;
const readJson = (p: string): Json => JSON.parse(readFileSync(p, 'utf8')) as Json;

describe('generic fallback', () => {
  test('quantized state dict: qint8 tensors and packed Linear params counted', async () => {
    const x = readJson(join(OWN, 'quantized', 'expected.json'));
    const s = (await analyzeFolder(join(OWN, 'quantized'))).summaries[0];
    expect(s.kind).toBe('generic');
    expect(s.model?.parameters).toBe(x.model_parameters);
    expect(s.model?.tensors).toBe(x.model_tensors);
    expect(s.model?.dtypes).toContain('qint8');
    for (const k of x.qint8_weights) expect(s.model?.tensorList?.find((t) => t.name === k)?.dtype).toBe('qint8');
    for (const k of x.packed_params_keys) expect(s.model?.tensorList?.filter((t) => t.name.startsWith(`${k}[`)).length).toBe(2);
  });

  test('legacy .t7 {net, acc, epoch}: read by its bytes, acc a metric, model under net', async () => {
    const x = readJson(join(OWN, 'legacy_t7', 'checkpoint', 'expected.json'));
    const s = (await analyzeFolder(join(OWN, 'legacy_t7'))).summaries[0];
    expect(x.legacy_format).toBe(true);
    expect(s.name).toBe('ckpt.t7');
    expect(s.kind).toBe('generic');
    expect(s.files[0].format).toBe('torch.save legacy (pre-1.6)');
    expect(s.position?.epoch).toBe(x.epoch);
    expect(s.metrics).toEqual([{ name: 'acc', value: x.acc, best: false }]);
    expect(s.model?.parameters).toBe(x.model_parameters);
    expect(s.facts).toContainEqual({ label: 'model weights', value: "under 'net'" });
  });

  describe('plain scripts', async () => {
    const x = readJson(join(OWN, 'generic_plain', 'expected.json'));
    const { summaries } = await analyzeFolder(join(OWN, 'generic_plain'));
    const get = (name: string) => summaries.find((s) => s.name === name)!;

    test('{model, optimizer, iteration}: the step is the iteration', () => {
      const e = x['iteration/checkpoint.pt'];
      const s = get('checkpoint.pt');
      expect(s.kind).toBe('generic');
      expect(s.position).toMatchObject({ globalStep: e.iteration, stepUnit: 'iterations', epoch: undefined });
      expect(s.position?.resume).toBe(`follow the training script: iteration ${e.iteration} was saved (no epoch); scripts of this kind usually continue from iteration ${e.iteration}`);
      expect(s.model?.parameters).toBe(e.model_parameters);
      expect(s.optimizer?.steps).toBe(e.optimizer_steps);
    });

    test('epoch_5.pth, a bare state dict: the epoch from the file name is a fact', () => {
      const e = x['epoch_in_name/epoch_5.pth'];
      const s = get('epoch_5.pth');
      expect(s.position).toBeUndefined();
      expect(s.facts).toContainEqual({ label: 'epoch (from the file name)', value: `${e.epoch_in_name}: the file itself saves no epoch` });
      expect(s.model?.parameters).toBe(e.model_parameters);
      expect(s.model?.tensors).toBe(e.model_tensors);
    });

    test('{net, best_loss (0-d tensor)}: best_loss a best metric, the model the net state dict', () => {
      const e = x['best_loss_root/model.pth'];
      const s = get('model.pth');
      expect(e.best_loss_shape).toEqual([]);
      expect(s.metrics).toEqual([{ name: 'best_loss', value: e.best_loss, best: true }]);
      expect(s.model?.parameters).toBe(e.model_parameters);
      expect(s.model?.tensors).toBe(e.model_tensors);
    });
  });

  test('epochs in file names', () => {
    expect(epochInFileName('epoch_5.pth')).toBe(5);
    expect(epochInFileName('model_epoch12.pt')).toBe(12);
    expect(epochInFileName('ep7.pth')).toBe(7);
    expect(epochInFileName('checkpoint-350.pth.tar')).toBeUndefined();
    expect(epochInFileName('best.pt')).toBeUndefined();
  });
});
