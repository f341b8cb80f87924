/**
 * fairseq on torch-made fixtures (scripts/fixtures_research.py): checkpoint2.pt (end of epoch 2:
 * train_iterator epoch 3 with 0 iterations), checkpoint_last.pt (epoch 3 after 5 batches),
 * checkpoint_best.pt. Values from expected.json (what torch.load returned).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeFolder, OWN } from './support/fixtures';

type Truth = { train_iterator_epoch: number; iterations_in_epoch: number; num_updates: number; best: number; val_loss: number; max_epoch: number; model_parameters: number; optimizer_param_states: number };
const expected = JSON.parse(readFileSync(join(OWN, 'fairseq', 'expected.json'), 'utf8')) as {
  kind: string;
  files: Record<string, Truth>;
  legacy_args: { train_iterator_epoch: number; iterations_in_epoch: number; num_updates: number; max_epoch: number; best_checkpoint_metric: string; best: number; args_type: string };
};

describe('fairseq checkpoints', () => {
  test('every file: train_iterator position, num_updates, best and val_loss, model and optimizer', async () => {
    const { plan, summaries } = await analyzeFolder(join(OWN, 'fairseq', 'checkpoints'));
    expect(summaries.map((s) => s.name).sort()).toEqual(Object.keys(expected.files).sort());
    for (const [name, e] of Object.entries(expected.files)) {
      const s = summaries.find((x) => x.name === name);
      expect(plan.checkpoints.find((c) => c.name === name)?.files).toEqual([{ path: `checkpoints/${name}`, role: 'training-state' }]);
      expect(s?.kind).toBe(expected.kind);
      expect(s?.position).toMatchObject({ epoch: e.train_iterator_epoch, epochsCompleted: e.train_iterator_epoch - 1, stepInEpoch: e.iterations_in_epoch, globalStep: e.num_updates, plannedEpochs: e.max_epoch, finished: false, resumable: true, epochBase: 1 });
      expect(s?.metrics).toEqual([{ name: 'loss', value: e.best, best: true }, { name: 'extra_state.val_loss', value: e.val_loss, best: false }]);
      expect(s?.model?.parameters).toBe(e.model_parameters);
      expect(s?.optimizer?.paramStates).toBe(e.optimizer_param_states);
      expect(s?.warnings).toEqual([]);
    }
  });

  test('checkpoint2.pt: the end of epoch 2 already points at epoch 3 with 0 iterations', async () => {
    const { summaries } = await analyzeFolder(join(OWN, 'fairseq', 'checkpoints'));
    const s = summaries.find((x) => x.name === 'checkpoint2.pt');
    expect(expected.files['checkpoint2.pt']).toMatchObject({ train_iterator_epoch: 3, iterations_in_epoch: 0 });
    expect(s?.progress).toMatchObject({ status: 'complete', epoch: 2, resume: { epoch: 3, step: 0 } });
    expect(s?.position?.resume).toBe('start epoch 3 at its first batch');
  });

  test('checkpoint_last.pt: mid-epoch 3, fast-forwarded by iterations_in_epoch', async () => {
    const { summaries } = await analyzeFolder(join(OWN, 'fairseq', 'checkpoints'));
    const s = summaries.find((x) => x.name === 'checkpoint_last.pt');
    const e = expected.files['checkpoint_last.pt'];
    expect(s?.progress).toMatchObject({ status: 'incomplete', epoch: e.train_iterator_epoch, step: e.iterations_in_epoch });
    expect(s?.position?.resume).toBe(`continue epoch ${e.train_iterator_epoch} after batch ${e.iterations_in_epoch} (the iterator is fast-forwarded ${e.iterations_in_epoch} batches)`);
  });

  test('legacy args (argparse.Namespace): max_epoch 3 and train_iterator epoch 4 = finished; best is bleu', async () => {
    const e = expected.legacy_args;
    expect(e.args_type).toBe('argparse.Namespace');
    const { summaries } = await analyzeFolder(join(OWN, 'fairseq', 'legacy_args'));
    const s = summaries[0];
    expect(s.kind).toBe('fairseq');
    expect(s.position).toMatchObject({ epoch: e.train_iterator_epoch, epochsCompleted: e.train_iterator_epoch - 1, plannedEpochs: e.max_epoch, globalStep: e.num_updates, finished: true });
    expect(s.position?.resume).toBe(`train nothing: train_iterator.epoch ${e.train_iterator_epoch} is past max_epoch ${e.max_epoch} (the run finished)`);
    expect(s.bestMetric).toEqual({ name: e.best_checkpoint_metric, value: e.best });
  });
});
