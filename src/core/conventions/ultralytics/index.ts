/**
 * Ultralytics YOLO (v8/11, `ultralytics` package) and YOLOv5 checkpoints: `weights/last.pt`,
 * `best.pt`, `epoch{N}.pt` (CONVENTIONS.md §6). Keys from
 * `ultralytics/engine/trainer.py:BaseTrainer.save_model`: `epoch` (index of the epoch just
 * finished), `best_fitness`, `model`/`ema` (pickled `nn.Module`s such as
 * `ultralytics.nn.tasks.DetectionModel`), `optimizer`, `train_args`, `train_metrics`,
 * `train_results` (results.csv as a dict of lists). Resume rule in `position.ts`.
 */
import type { AnalysisContext } from '../../analyze/context';
import { dictGet, type PyValue } from '../../pickle/values';
import type { TorchFile } from '../../torch/torchFile';
import type { Convention, ConventionPart } from '../convention';
import { readHistory } from '../enstack/state';
import { moduleParameters, objectClass } from '../shared/moduleObject';
import { notRepairable } from '../shared/repairEligibility';
import { attributesOf, factsOf, fieldText, fileName, intField, savedNumber } from '../shared/savedFields';
import { summarizeTensors } from '../shared/stateDictTensors';
import { summarizeOptimizer } from '../stateDicts';
import type { ModelSummary, SavedFact, SavedMetric } from '../summary';
import { ultralyticsFlavor, type UltralyticsFlavor } from './detect';
import { ultralyticsPosition } from './position';
import { ultralyticsRepair } from './repair';

/** `train_args` keys shown as facts (the resume replaces all settings but imgsz, batch, device, close_mosaic). */
const TRAIN_ARGS_FACTS = ['epochs', 'imgsz', 'batch', 'model', 'data', 'task', 'patience', 'close_mosaic', 'resume'];
/** YOLOv5 `opt` keys shown as facts. */
const OPT_FACTS = ['epochs', 'batch_size', 'imgsz', 'img_size', 'weights', 'cfg', 'data', 'resume'];

/**
 * The model object: `ema` when present (training saves derive from the EMA), else `model`; its
 * parameters counted from the module's `_parameters`, or a warning saying where it is when they
 * cannot be reached.
 */
function readModelObject(ctx: AnalysisContext, path: string, root: PyValue): ModelSummary | undefined {
  for (const key of ['ema', 'model']) {
    const v = dictGet(root, key);
    if (!v || v.kind === 'none') continue;
    const params = moduleParameters(v);
    if (params && params.length > 0) return { ...summarizeTensors(`${path} › ${key}`, params), architecture: objectClass(v) };
    ctx.warnings.push(`${path}: the model is a pickled object (${objectClass(v) ?? v.kind}) under '${key}' whose parameters could not be reached through its _modules/_parameters state; it is not counted.`);
    return undefined;
  }
  return undefined;
}

/** Numeric entries of `train_metrics` (v8.1+: last metrics plus `fitness`) as metrics. */
function trainMetrics(v: PyValue | undefined): SavedMetric[] {
  const attrs = attributesOf(v);
  if (!attrs || attrs.kind !== 'dict') return [];
  return attrs.entries.flatMap(([k, x]): SavedMetric[] => (k.kind === 'str' && (x.kind === 'float' || x.kind === 'int') ? [{ name: `train_metrics.${k.value}`, value: Number(x.value), best: false }] : []));
}

/** `train_results` as metric series (one value per finished epoch); the `epoch` and `time` columns are the axis, not metrics. */
function resultsHistory(v: PyValue | undefined): Record<string, number[]> | undefined {
  const all = readHistory(v);
  if (!all) return undefined;
  const out = Object.fromEntries(Object.entries(all).filter(([k]) => k !== 'epoch' && k !== 'time'));
  return Object.keys(out).length ? out : undefined;
}

/** Length of the `epoch` column of `train_results` (or of its first list): epochs recorded. */
function epochsInResults(v: PyValue | undefined): number | undefined {
  if (!v || v.kind !== 'dict') return undefined;
  const col = dictGet(v, 'epoch') ?? v.entries.find(([, x]) => x.kind === 'list')?.[1];
  return col?.kind === 'list' ? col.items.length : undefined;
}

/** The version/date facts and the settings of `train_args` (v8/11) or `opt` (YOLOv5). */
function factsOfFile(flavor: UltralyticsFlavor, root: PyValue, results: number | undefined): SavedFact[] {
  const facts: SavedFact[] = [{ label: 'written by', value: flavor === 'ultralytics' ? 'Ultralytics (v8/11)' : 'YOLOv5' }];
  for (const k of ['version', 'date', 'updates']) {
    const v = dictGet(root, k);
    if (v && v.kind !== 'none') facts.push({ label: k, value: fieldText(v) });
  }
  facts.push(...(flavor === 'ultralytics' ? factsOf('train_args', dictGet(root, 'train_args'), TRAIN_ARGS_FACTS) : factsOf('opt', dictGet(root, 'opt'), OPT_FACTS)));
  if (results !== undefined) facts.push({ label: 'train_results', value: `${results} epochs recorded` });
  return facts;
}

async function readFile(ctx: AnalysisContext, path: string, state: TorchFile, flavor: UltralyticsFlavor): Promise<ConventionPart> {
  const src = ctx.open(path);
  const root = state.value;
  const epochV = dictGet(root, 'epoch');
  const epoch = epochV?.kind === 'int' ? Number(epochV.value) : undefined;
  const optimizerV = dictGet(root, 'optimizer');
  const optimizer = await summarizeOptimizer(src, state, optimizerV);
  const results = epochsInResults(dictGet(root, 'train_results'));
  const planned = flavor === 'ultralytics' ? intField(dictGet(root, 'train_args'), 'epochs') : intField(dictGet(root, 'opt'), 'epochs');
  const metrics: SavedMetric[] = [];
  const facts = factsOfFile(flavor, root, results);
  const fitnessV = dictGet(root, 'best_fitness');
  const fitness = await savedNumber(src, state, fitnessV);
  if (fitness !== undefined) metrics.push({ name: 'best_fitness', value: fitness, best: true });
  else if (fitnessV?.kind === 'ndarray') facts.push({ label: 'best_fitness', value: `a numpy array of shape [${fitnessV.shape.join(', ')}] (its value is not read)` });
  metrics.push(...trainMetrics(dictGet(root, 'train_metrics')));
  const position = epoch === undefined ? undefined : ultralyticsPosition({ epoch, plannedEpochs: planned, epochsInResults: results, hasOptimizer: optimizerV?.kind === 'dict', file: fileName(path), flavor });
  if (epoch === -1) ctx.warnings.push(`${path}: epoch -1: these are final weights (strip_optimizer removed the optimizer); training cannot be resumed from this file.`);
  const best = metrics.find((m) => m.best);
  return {
    kind: 'ultralytics',
    position,
    metrics,
    facts,
    bestMetric: best ? { name: best.name, value: best.value } : undefined,
    optimizer,
    model: readModelObject(ctx, path, root),
    history: resultsHistory(dictGet(root, 'train_results')),
    repair: notRepairable(epoch === -1 ? 'a stripped Ultralytics file (epoch -1) has nothing to resume; start a new run from it' : 'Ultralytics saves only at epoch ends: there is no incomplete epoch to mark complete'),
  };
}

async function read(ctx: AnalysisContext): Promise<ConventionPart> {
  const path = ctx.paths('training-state')[0];
  const state = await ctx.loadTorch(path);
  const flavor = state ? ultralyticsFlavor(state.value) : undefined;
  if (!state || !flavor) return { kind: 'unreadable', repair: notRepairable('no readable Ultralytics checkpoint') };
  return readFile(ctx, path, state, flavor);
}

/** Ultralytics YOLO v8/11 and YOLOv5 (`last.pt`, `best.pt`, `epochN.pt`). */
export const ultralytics: Convention = {
  id: 'ultralytics',
  label: 'Ultralytics',
  repair: ultralyticsRepair,
  matches: (file) => ultralyticsFlavor(file.value) !== undefined,
  read,
  // ultralytics/engine/trainer.py check_resume and YOLOv5 train.py --resume: the run's weights/last.pt
  pickResume: (checkpoints) => checkpoints.find((c) => c.name === 'last.pt'),
};
