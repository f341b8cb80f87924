/**
 * Conformance on the single-file cases of ../shared/realworld2 (see its README): Ultralytics/YOLOv5
 * (yolo11_cls_last, yolov5_epoch36_unstripped, yolov8_cls_dill), the ImageNet-example style
 * (cgcnn_output_zip, cifar_best_acc), plain scripts read by the generic fallback (cifar_t7_legacy,
 * cs336_iteration, quant_int8_state_dict, snake_checkpoint_named_file, vad_lstm_epoch_in_name), a
 * TorchScript archive (torchscript_int8) and a truncated upload (mobileformer_truncated). Values from
 * each case's truth.json (what torch.load returned). Skipped when ../shared/realworld2 is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { CheckpointSummary } from '../src/core/conventions/summary';
import { analyzeFolder, ROOT } from './support/fixtures';

const RW2 = join(ROOT, '..', 'shared', 'realworld2');
type TruthFile = { keys: string[] | null; prog: Record<string, number>; best: Record<string, number>; params: number | null; torchscript: boolean; torch_load: string };

/** The one file of a case: its truth and its summary. */
async function readCase(name: string): Promise<{ t: TruthFile; s: CheckpointSummary }> {
  const files = (JSON.parse(readFileSync(join(RW2, `${name}.truth.json`), 'utf8')) as { files: Record<string, TruthFile> }).files;
  const [path, t] = Object.entries(files)[0];
  const { summaries } = await analyzeFolder(join(RW2, name));
  expect(summaries.map((s) => s.id)).toEqual([path]);
  return { t, s: summaries[0] };
}
const fact = (s: CheckpointSummary, label: string): string | undefined => s.facts?.find((f) => f.label === label)?.value;
const metric = (s: CheckpointSummary, name: string): number | undefined => s.metrics?.find((m) => m.name === name)?.value;

describe.skipIf(!existsSync(RW2))('realworld2 single-file cases', () => {
  test('yolo11_cls_last: epoch -1 = stripped final weights, not resumable; 100 of 100 epochs in train_results; fitness 0.9338', async () => {
    const { t, s } = await readCase('yolo11_cls_last');
    expect(s.kind).toBe('ultralytics');
    expect(s.position?.epoch).toBe(t.prog.epoch);
    expect(t.prog.epoch).toBe(-1);
    expect(s.position).toMatchObject({ finished: true, resumable: false, plannedEpochs: t.prog['train_args.epochs'], epochsCompleted: t.prog['train_results.epoch[-1]'] });
    expect(s.position?.resume).toContain(`train_results holds ${t.prog['train_results.epoch[-1]']} of ${t.prog['train_args.epochs']} epochs`);
    expect(s.position?.resume).toContain('nothing to resume');
    expect(s.position?.resume).not.toMatch(/start epoch 0/);
    expect(s.progress?.resume.text).not.toMatch(/start epoch 0/);
    expect(metric(s, 'train_metrics.fitness')).toBe(t.best['train_metrics.fitness']);
    expect(fact(s, 'train_args.epochs')).toBe(String(t.prog['train_args.epochs']));
    expect(fact(s, 'train_results')).toBe(`${t.prog['train_results.epoch[-1]']} epochs recorded`);
    expect(s.history?.['metrics/accuracy_top1']).toHaveLength(t.prog['train_results.epoch[-1]']);
    expect(s.optimizer).toBeUndefined();
    expect(s.model?.architecture).toBe('ultralytics.nn.tasks.ClassificationModel');
    expect(s.model?.dtypes).toEqual(['float16']);
  });

  test('yolov5_epoch36_unstripped: epoch 36 with its optimizer, a resume starts epoch 37; best_fitness 0', async () => {
    const { t, s } = await readCase('yolov5_epoch36_unstripped');
    expect(s.kind).toBe('ultralytics');
    expect(fact(s, 'written by')).toBe('YOLOv5');
    expect(s.position).toMatchObject({ epoch: t.prog.epoch, epochsCompleted: t.prog.epoch + 1, finished: false, resumable: true });
    expect(s.position?.resume).toBe(`start epoch ${t.prog.epoch + 1}: smart_resume sets start_epoch = epoch + 1`);
    expect(s.progress).toMatchObject({ status: 'complete', resume: { epoch: 37 } });
    expect(s.metrics).toContainEqual({ name: 'best_fitness', value: t.best.best_fitness, best: true });
    expect(s.model?.architecture).toBe('models.yolo.Model');
  });

  test('yolov8_cls_dill: read as far as possible (stripped Ultralytics 8.0), dill globals flagged dangerous', async () => {
    const { t, s } = await readCase('yolov8_cls_dill');
    expect(s.kind).toBe('ultralytics');
    expect(s.problems).toEqual([]);
    expect(s.position).toMatchObject({ epoch: t.prog.epoch, finished: true, resumable: false, plannedEpochs: t.prog['train_args.epochs'], epochsCompleted: t.prog['train_results.epoch[-1]'] });
    expect(metric(s, 'train_metrics.fitness')).toBe(t.best['train_metrics.fitness']);
    expect(s.safety?.verdict).toBe('dangerous');
    const dangerous = s.safety?.findings.filter((f) => f.verdict === 'dangerous').map((f) => f.name) ?? [];
    expect(dangerous).toEqual(expect.arrayContaining(['dill._dill._create_code', 'dill._dill._create_function']));
  });

  test('cgcnn_output_zip: best_mae_error 2.2442 is a 0-d tensor metric; model = state_dict (81,991)', async () => {
    const { t, s } = await readCase('cgcnn_output_zip');
    expect(s.kind).toBe('imagenet-example');
    expect(s.model?.parameters).toBe(t.params);
    expect(t.params).toBe(81_991);
    expect(s.model?.file).toBe('cgcnn_output_zip/model_best.pth.tar › state_dict');
    expect(s.metrics).toEqual([{ name: 'best_mae_error', value: Math.fround(t.best.best_mae_error), best: true }]);
    expect(s.position).toMatchObject({ epoch: t.prog.epoch, epochsCompleted: t.prog.epoch });
    expect(s.position?.resume).toContain(`start epoch ${t.prog.epoch}`);
  });

  test('cifar_best_acc: best_acc 0.2345', async () => {
    const { t, s } = await readCase('cifar_best_acc');
    expect(s.kind).toBe('imagenet-example');
    expect(s.metrics).toEqual([{ name: 'best_acc', value: t.best.best_acc, best: true }]);
    // no arch / best_acc1: the epoch-is-next reading is inferred, and the note says so
    expect(s.position?.note).toMatch(/^Read as the ImageNet example/);
    expect(s.position?.epoch).toBe(t.prog.epoch);
    expect(s.model?.parameters).toBe(t.params);
  });

  test('cifar_t7_legacy: .t7 in the legacy format, {net, acc, epoch}: epoch 1, acc 59.44', async () => {
    const { t, s } = await readCase('cifar_t7_legacy');
    expect(s.kind).toBe('generic');
    expect(s.files[0].format).toBe('torch.save legacy (pre-1.6)');
    expect(s.position?.epoch).toBe(t.prog.epoch);
    expect(s.metrics).toEqual([{ name: 'acc', value: t.best.acc, best: false }]);
    expect(s.model?.parameters).toBe(t.params);
  });

  test('cs336_iteration: the step is called iteration (10)', async () => {
    const { t, s } = await readCase('cs336_iteration');
    expect(s.kind).toBe('generic');
    expect(s.position).toMatchObject({ globalStep: t.prog.iteration, stepUnit: 'iterations' });
    expect(s.position?.resume).toContain(`iteration ${t.prog.iteration}`);
    expect(s.model?.parameters).toBe(t.params);
  });

  test('quant_int8_state_dict: qint8 tensors and packed params counted: 76,308', async () => {
    const { t, s } = await readCase('quant_int8_state_dict');
    expect(s.kind).toBe('generic');
    expect(s.model?.parameters).toBe(t.params);
    expect(t.params).toBe(76_308);
    expect(s.model?.dtypes).toContain('qint8');
  });

  test('torchscript_int8: a TorchScript archive, not a torch.save checkpoint', async () => {
    const { t, s } = await readCase('torchscript_int8');
    expect(t.torchscript).toBe(true);
    expect(s.kind).toBe('torchscript');
    expect(s.problems).toEqual([]);
    expect(s.position).toBeUndefined();
    expect(s.warnings.some((w) => w.includes('not a training checkpoint: torch.load hands it to torch.jit.load, which would compile and run its code'))).toBe(true);
  });

  test('mobileformer_truncated: a clear "file ends early" message naming the file', async () => {
    const { t, s } = await readCase('mobileformer_truncated');
    expect(t.torch_load).toBe('failed');
    expect(s.kind).toBe('unreadable');
    expect(s.problems).toHaveLength(1);
    expect(s.problems[0].file).toBe('mobileformer_truncated/checkpoint.pth.tar');
    expect(s.problems[0].message).toMatch(/^the file ends early/);
  });

  test('snake_checkpoint_named_file: a FILE named checkpoint-350.pth.tar is a bare state dict', async () => {
    const { t, s } = await readCase('snake_checkpoint_named_file');
    expect(s.kind).toBe('generic');
    expect(s.position).toBeUndefined();
    expect(s.model?.parameters).toBe(t.params);
    expect(s.model?.tensors).toBe(t.keys?.length);
  });

  test('vad_lstm_epoch_in_name: epoch 5 only in the file name', async () => {
    const { t, s } = await readCase('vad_lstm_epoch_in_name');
    expect(s.kind).toBe('generic');
    expect(s.position).toBeUndefined();
    expect(fact(s, 'epoch (from the file name)')).toBe('5: the file itself saves no epoch');
    expect(s.model?.parameters).toBe(t.params);
  });
});
