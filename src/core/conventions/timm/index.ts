/**
 * timm `train.py` checkpoints (`*.pth.tar`, CONVENTIONS.md §5). Keys from
 * `timm/utils/checkpoint_saver.py:CheckpointSaver._save`: `epoch`, `arch` (= args.model),
 * `state_dict`, `state_dict_ema`, `optimizer`, `version` (2), `args` (an `argparse.Namespace`),
 * `metric` (this epoch's eval metric; absent in recovery files), `amp_scaler`. Resume rule in
 * `position.ts`; file names in `fileName.ts`.
 */
import type { AnalysisContext } from '../../analyze/context';
import { dictGet, type PyValue } from '../../pickle/values';
import type { Convention, ConventionPart } from '../convention';
import { progressOfPosition } from '../shared/position';
import { notRepairable } from '../shared/repairEligibility';
import { attributesOf, factsOf, fileName, intField, savedNumber } from '../shared/savedFields';
import { namedTensors, summarizeTensors } from '../shared/stateDictTensors';
import { summarizeOptimizer, summarizeScaler } from '../stateDicts';
import type { SavedFact, SavedMetric } from '../summary';
import { timmFileKind } from './fileName';
import { timmPosition, timmResumeEpoch } from './position';
import { timmRepair } from './repair';

/** `args` attributes shown as facts. */
const ARGS_FACTS = ['model', 'epochs', 'batch_size', 'lr', 'opt', 'sched', 'eval_metric', 'recovery_interval', 'data_dir', 'dataset'];

/** True when `root` has timm's keys: `epoch`, `arch`, `state_dict` and one of `version`, `args`, `metric`, `state_dict_ema` (and no ImageNet-example `best_acc1`/`best_prec1`). */
export function isTimmCheckpoint(root: PyValue): boolean {
  if (root.kind !== 'dict') return false;
  const epoch = dictGet(root, 'epoch');
  if (epoch?.kind !== 'int' || dictGet(root, 'arch') === undefined || dictGet(root, 'state_dict')?.kind !== 'dict') return false;
  if (dictGet(root, 'best_acc1') !== undefined || dictGet(root, 'best_prec1') !== undefined) return false;
  return ['version', 'args', 'metric', 'state_dict_ema'].some((k) => dictGet(root, k) !== undefined);
}

async function read(ctx: AnalysisContext): Promise<ConventionPart> {
  const path = ctx.paths('training-state')[0];
  const state = await ctx.loadTorch(path);
  if (!state || !isTimmCheckpoint(state.value)) return { kind: 'unreadable', repair: notRepairable('no readable timm checkpoint') };
  const src = ctx.open(path);
  const root = state.value;
  const epoch = Number((dictGet(root, 'epoch') as { value: number | bigint }).value);
  const versionV = dictGet(root, 'version');
  const version = versionV?.kind === 'int' ? Number(versionV.value) : undefined;
  const args = dictGet(root, 'args');
  const fileKind = timmFileKind(fileName(path));
  const optimizer = await summarizeOptimizer(src, state, dictGet(root, 'optimizer'));
  const metric = await savedNumber(src, state, dictGet(root, 'metric'));
  const evalMetric = dictGet(attributesOf(args), 'eval_metric');
  const metrics: SavedMetric[] = metric !== undefined ? [{ name: evalMetric?.kind === 'str' ? `metric (${evalMetric.value})` : 'metric', value: metric, best: fileKind.kind === 'best' }] : [];
  const arch = dictGet(root, 'arch');
  const facts: SavedFact[] = [
    ...(arch?.kind === 'str' ? [{ label: 'arch', value: arch.value }] : []),
    { label: 'version', value: version !== undefined ? String(version) : 'not saved (an old timm file: epoch was incremented before saving)' },
    ...factsOf('args', args, ARGS_FACTS),
  ];
  if (fileKind.kind === 'recovery') facts.push({ label: 'recovery file', value: `epoch ${fileKind.epoch}, update index ${fileKind.batchIdx} (from the file name)` });
  if (fileKind.kind === 'checkpoint' && fileKind.epoch !== epoch) ctx.warnings.push(`${path}: the file name says epoch ${fileKind.epoch} but the file holds epoch ${epoch}.`);
  if (fileKind.kind === 'recovery') ctx.warnings.push(`${path}: a timm recovery file (mid-epoch save): timm resumes it at the next epoch, so the rest of epoch ${epoch} is not trained.`);
  const weights = namedTensors(dictGet(root, 'state_dict'));
  const ema = namedTensors(dictGet(root, 'state_dict_ema'));
  if (ema.length) facts.push({ label: 'state_dict_ema', value: `${ema.length} tensors (model EMA)` });
  const best = metrics.find((m) => m.best);
  const position = timmPosition({ epoch, version, plannedEpochs: intField(args, 'epochs'), fileKind, hasOptimizer: optimizer !== undefined });
  const shown = progressOfPosition(position);
  // a recovery file is resumed at the next epoch from batch 0, not inside the epoch it was saved in
  const progress = shown && fileKind.kind === 'recovery' ? { ...shown, resume: { epoch: timmResumeEpoch(epoch, version), step: 0, text: position.resume } } : shown;
  return {
    kind: 'timm',
    position,
    progress,
    metrics,
    facts,
    bestMetric: best ? { name: best.name, value: best.value } : undefined,
    optimizer,
    scaler: await summarizeScaler(src, state, dictGet(root, 'amp_scaler')),
    model: weights.length ? { ...summarizeTensors(`${path} › state_dict`, weights), architecture: arch?.kind === 'str' ? arch.value : undefined } : undefined,
    repair: notRepairable('timm resumes from epoch alone; set epoch instead of an epoch/step pair'),
  };
}

/** timm `train.py` (`last.pth.tar`, `model_best.pth.tar`, `checkpoint-N.pth.tar`, `recovery-E-B.pth.tar`). */
export const timm: Convention = {
  id: 'timm',
  label: 'timm',
  repair: timmRepair,
  matches: (file) => isTimmCheckpoint(file.value),
  read,
};
