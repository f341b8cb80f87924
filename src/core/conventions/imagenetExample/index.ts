/**
 * The pytorch/examples `imagenet/main.py` style (CONVENTIONS.md §14), also used by cgcnn and many
 * course scripts: `checkpoint.pth.tar` / `model_best.pth.tar` holding `epoch` (the loop index + 1,
 * i.e. already the NEXT epoch), `arch`, `state_dict`, `best_acc1` (a tensor) or `best_prec1`
 * (older copies) or another `best_*`, `optimizer`, `scheduler`. Resume rule (`main.py`):
 * `args.start_epoch = checkpoint['epoch']`, then `for epoch in range(args.start_epoch, args.epochs)`.
 */
import type { AnalysisContext } from '../../analyze/context';
import { dictGet, dictKeys, type PyValue } from '../../pickle/values';
import type { Convention, ConventionPart } from '../convention';
import { hasEpochAndStep } from '../enstack/state';
import { notRepairable } from '../shared/repairEligibility';
import { factsOf, intField, topLevelMetrics } from '../shared/savedFields';
import { namedTensors, summarizeLargestStateDict } from '../shared/stateDictTensors';
import { summarizeOptimizer, summarizeScheduler } from '../stateDicts';
import type { SavedFact, TrainingPosition } from '../summary';

/** `args` fields (a dict from `vars(args)` or a Namespace) shown as facts. */
const ARGS_FACTS = ['arch', 'epochs', 'start_epoch', 'batch_size', 'lr', 'task', 'data'];

/**
 * True for an ImageNet-example-style dict: an int `epoch`, a `state_dict` holding tensors, and
 * `arch` or a top-level `best_*` key; never a file with `step` (the EnStack layout).
 */
export function isImagenetExample(root: PyValue): boolean {
  if (root.kind !== 'dict' || dictGet(root, 'epoch')?.kind !== 'int' || hasEpochAndStep(root)) return false;
  if (namedTensors(dictGet(root, 'state_dict')).length === 0) return false;
  return dictGet(root, 'arch') !== undefined || dictKeys(root).some((k) => k.startsWith('best_'));
}

/**
 * The position: `epoch` epochs are done and a resume starts epoch index `epoch`. `exact` = the file
 * has the example's own fields (`arch`, `best_acc1`, `best_prec1`); otherwise the note says the
 * reading is inferred.
 */
export function imagenetPosition(epoch: number, planned: number | undefined, hasOptimizer: boolean, exact = true): TrainingPosition {
  const finished = planned !== undefined && epoch >= planned;
  return {
    epochsCompleted: epoch,
    epoch,
    epochBase: 0,
    epochMeaning: 'the next epoch to run (main.py saves the loop index + 1)',
    stepInEpoch: 0,
    stepsPerEpoch: undefined,
    stepUnit: 'batches',
    globalStep: undefined,
    plannedEpochs: planned,
    finished,
    resumable: hasOptimizer,
    resume: finished
      ? `train nothing: start_epoch = ${epoch} is args.epochs (${planned})`
      : `start epoch ${epoch} (0-based; main.py sets start_epoch = checkpoint['epoch'], already the next epoch)${hasOptimizer ? '' : '; no optimizer state was saved'}`,
    note: exact
      ? 'ImageNet-example style: saves happen at epoch ends, with epoch = loop index + 1.'
      : "Read as the ImageNet example (epoch, state_dict and a best_* field, but no arch / best_acc1): if this script saved the loop index itself rather than index + 1, a resume repeats one epoch.",
  };
}

async function read(ctx: AnalysisContext): Promise<ConventionPart> {
  const path = ctx.paths('training-state')[0];
  const state = await ctx.loadTorch(path);
  if (!state || !isImagenetExample(state.value)) return { kind: 'unreadable', repair: notRepairable('no readable checkpoint') };
  const src = ctx.open(path);
  const root = state.value;
  const epochV = dictGet(root, 'epoch') as { value: number | bigint };
  const epoch = Number(epochV.value);
  const optimizer = await summarizeOptimizer(src, state, dictGet(root, 'optimizer'));
  const metrics = await topLevelMetrics(src, state, root);
  const arch = dictGet(root, 'arch');
  const args = dictGet(root, 'args');
  const facts: SavedFact[] = [...(arch?.kind === 'str' ? [{ label: 'arch', value: arch.value }] : []), ...factsOf('args', args, ARGS_FACTS)];
  const best = metrics.find((m) => m.best);
  return {
    kind: 'imagenet-example',
    position: imagenetPosition(epoch, intField(args, 'epochs'), optimizer !== undefined, arch !== undefined || dictGet(root, 'best_acc1') !== undefined || dictGet(root, 'best_prec1') !== undefined),
    metrics,
    facts,
    bestMetric: best ? { name: best.name, value: best.value } : undefined,
    optimizer,
    scheduler: summarizeScheduler(dictGet(root, 'scheduler')),
    model: summarizeLargestStateDict(path, root),
    repair: notRepairable('saves happen at epoch ends (epoch = the next epoch): there is no incomplete epoch to mark complete'),
  };
}

/** pytorch/examples ImageNet `main.py` style (`checkpoint.pth.tar` with `best_acc1`). */
export const imagenetExample: Convention = {
  id: 'imagenet-example',
  label: 'ImageNet example',
  matches: (file) => isImagenetExample(file.value),
  read,
};
