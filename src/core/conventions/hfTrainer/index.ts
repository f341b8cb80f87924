/**
 * Hugging Face Trainer `checkpoint-N/` folders (transformers `trainer.py`
 * `Trainer._save_checkpoint`, `trainer_callback.py` `TrainerState`). Resume rule
 * (`Trainer._inner_training_loop`): epochs_trained = global_step // num_update_steps_per_epoch,
 * then (global_step mod U) x gradient_accumulation_steps batches are skipped; a global_step at or
 * past max_steps trains nothing.
 */
import type { AnalysisContext } from '../../analyze/context';
import { readModel } from '../../analyze/weights';
import { roundOneDecimal } from '../../display/round';
import type { CheckpointClaim, FolderListing } from '../../folder/checkpointPlan';
import type { Convention, ConventionPart } from '../convention';
import { notRepairable } from '../shared/repairEligibility';
import type { TrainingPosition, TrainingProgress } from '../summary';
import { hfFacts } from './facts';
import { readHfTrainer, type HfTrainerSummary } from './readHfTrainer';
import { batchesPerEpochOf, updateStepsRule, type UpdateStepsRule } from './updateStepsRule';
import { hfTrainerRepair } from './repair';

const WEIGHT_FILES = ['model.safetensors', 'pytorch_model.bin', 'adapter_model.safetensors', 'adapter_model.bin'];

/** Role of a file inside a Trainer checkpoint folder (transformers `trainer.py` names). */
export function hfRole(name: string): string {
  if (name === 'trainer_state.json') return 'trainer-state';
  if (name === 'optimizer.pt' || name === 'optimizer.bin') return 'optimizer';
  if (name === 'scheduler.pt' || name === 'scheduler.bin') return 'scheduler';
  if (name === 'scaler.pt') return 'scaler';
  if (/^rng_state(_\d+)?\.pth$/.test(name)) return 'rng-state';
  if (name === 'training_args.bin') return 'training-args';
  if (name === 'adapter_config.json') return 'adapter-config';
  if (name === 'config.json') return 'config';
  if (WEIGHT_FILES.includes(name) || /^model-\d+-of-\d+\.safetensors$/.test(name)) return 'weights';
  if (name.endsWith('.safetensors.index.json') || name.endsWith('.bin.index.json')) return 'weights-index';
  return 'other';
}

/**
 * Trainer's position as the common display progress (units: optimizer update steps). % of the
 * epoch follows Trainer's own `epoch` rule (batches consumed / len(dataloader), CONVENTIONS.md §2)
 * when the batch count is known; the steps left stop at max_steps when the run ends before the
 * epoch does (`DefaultFlowCallback` stops at global_step >= max_steps).
 * @param batchesPerEpoch len(train_dataloader), when derivable ({@link batchesPerEpochOf})
 */
export function hfProgress(h: HfTrainerSummary, batchesPerEpoch?: number): TrainingProgress | undefined {
  const per = h.stepsPerEpoch;
  if (per === undefined || h.epochsCompleted === undefined || h.stepsIntoEpoch === undefined) return undefined;
  const complete = h.stepsIntoEpoch === 0 && h.epochsCompleted > 0;
  const epoch = complete ? h.epochsCompleted : h.epochsCompleted + 1;
  const ga = h.resume?.gradientAccumulationSteps ?? 1;
  const toEpochEnd = per - h.stepsIntoEpoch;
  const toMax = h.maxSteps !== undefined && h.maxSteps > 0 ? Math.max(0, h.maxSteps - h.globalStep) : undefined;
  const endsFirst = toMax !== undefined && toMax < toEpochEnd;
  const percent = batchesPerEpoch ? ((h.stepsIntoEpoch * ga) / batchesPerEpoch) * 100 : (h.stepsIntoEpoch / per) * 100;
  return {
    epoch,
    step: h.stepsIntoEpoch,
    totalBatches: per,
    status: complete ? 'complete' : 'incomplete',
    progressPercent: complete ? undefined : roundOneDecimal(percent),
    remainingBatches: complete ? undefined : endsFirst ? toMax : toEpochEnd,
    resume: { epoch: complete ? epoch + 1 : epoch, step: complete ? 0 : h.stepsIntoEpoch, text: h.resume?.text ?? (complete ? `start epoch ${epoch + 1}` : `continue epoch ${epoch} from step ${h.stepsIntoEpoch}`) },
    note: endsFirst
      ? `Trainer counts optimizer update steps and resumes from global_step alone; max_steps ${h.maxSteps} ends the run ${toMax} step${toMax === 1 ? '' : 's'} after this save, ${toEpochEnd - (toMax ?? 0)} steps before epoch ${epoch} would end.`
      : 'Trainer counts optimizer update steps and resumes from global_step alone.',
  };
}

/**
 * The floor/ceil reading of update steps per epoch for a folder, and which one the saved numbers
 * fit (`max_steps = ceil(num_train_epochs x U)` was computed with the saving version's U).
 * @param version config.json `transformers_version`, when present
 */
export function hfUpdateStepsRule(h: HfTrainerSummary, version: string | undefined): { rule: UpdateStepsRule; fits: string | undefined } | undefined {
  const ga = h.trainingArgs?.gradientAccumulationSteps && h.trainingArgs.gradientAccumulationSteps > 0 ? h.trainingArgs.gradientAccumulationSteps : 1;
  if (h.stepsPerEpoch === undefined) return undefined;
  const batches = batchesPerEpochOf(h.globalStep, h.epoch, h.stepsPerEpoch, ga);
  if (batches === undefined) return undefined;
  const rule = updateStepsRule(batches, ga, version);
  const fits = rule.floor === rule.ceil || h.stepsPerEpochSource !== 'max_steps / num_train_epochs'
    ? undefined
    : h.stepsPerEpoch === rule.ceil
      ? `max_steps / num_train_epochs = ${rule.ceil} fits ceil: saved by transformers >= 4.52`
      : h.stepsPerEpoch === rule.floor
        ? `max_steps / num_train_epochs = ${rule.floor} fits floor: saved by transformers <= 4.51`
        : undefined;
  return { rule, fits };
}

/**
 * Trainer's position in the shared model. `resumable` is false only when the folder lacks the model
 * weights (Trainer stops with "Can't find a valid checkpoint"); without optimizer.pt Trainer still
 * resumes global_step, with a fresh optimizer and scheduler (said in `note`).
 */
export function hfPosition(h: HfTrainerSummary, ctx: AnalysisContext): TrainingPosition {
  const hasOptimizer = ctx.paths('optimizer').length > 0;
  const finished = h.resume?.finished ?? (h.maxSteps !== undefined && h.maxSteps > 0 && h.globalStep >= h.maxSteps);
  return {
    epochsCompleted: h.epochsCompleted,
    epoch: h.epoch,
    epochBase: 1,
    epochMeaning: 'a float: epochs completed plus the fraction of the current epoch (informational; resume reads global_step)',
    stepInEpoch: h.stepsIntoEpoch,
    stepsPerEpoch: h.stepsPerEpoch,
    stepUnit: 'optimizer steps',
    globalStep: h.globalStep,
    plannedEpochs: h.numTrainEpochs,
    finished,
    resumable: true,
    resume: finished
      ? `train nothing: global_step ${h.globalStep} has reached max_steps ${h.maxSteps} (the run finished); raise max_steps to train further`
      : (h.resume?.text ?? `resume from global_step ${h.globalStep}`),
    note: hasOptimizer ? undefined : 'no optimizer.pt in this folder: Trainer resumes the step count, but the optimizer and LR scheduler start afresh.',
  };
}

async function read(ctx: AnalysisContext): Promise<ConventionPart> {
  const trainerState = ctx.paths('trainer-state')[0];
  const optional = (role: string) => {
    const p = ctx.paths(role)[0];
    return p ? ctx.open(p) : undefined;
  };
  // every torch file once more through the shared loader: formats and safety findings
  for (const f of ctx.plan.files) if (['optimizer', 'scheduler', 'scaler', 'rng-state', 'training-args'].includes(f.role)) await ctx.loadTorch(f.path);
  const model = await readModel(ctx);
  const configPath = ctx.paths('config')[0];
  const config = configPath ? await ctx.readJson<{ transformers_version?: unknown }>(configPath) : undefined;
  const version = typeof config?.transformers_version === 'string' ? config.transformers_version : undefined;
  let hf: HfTrainerSummary;
  try {
    hf = await readHfTrainer({
      trainerState: ctx.open(trainerState),
      optimizer: optional('optimizer'),
      scheduler: optional('scheduler'),
      scaler: optional('scaler'),
      rngStates: ctx.paths('rng-state').map((p) => ctx.open(p)),
      trainingArgs: optional('training-args'),
      folderName: ctx.plan.path || ctx.plan.name,
      transformersVersion: version,
    });
  } catch (e) {
    ctx.fail(trainerState, e);
    return { kind: 'unreadable', model, repair: notRepairable('no readable training state') };
  }
  ctx.describe(trainerState, { format: 'JSON' });
  // per-file problems were already recorded by the shared loader for torch files
  for (const p of hf.problems) if (!ctx.problems.some((q) => q.file === p.file)) ctx.problems.push(p);
  for (const w of hf.warnings) ctx.warnings.push(w);
  const position = hfPosition(hf, ctx);
  const steps = hfUpdateStepsRule(hf, version);
  if (steps && steps.rule.floor !== steps.rule.ceil) {
    const used = steps.rule.applies ?? (steps.fits?.includes('fits ceil') ? 'ceil' : steps.fits?.includes('fits floor') ? 'floor' : undefined);
    ctx.warnings.push(`${trainerState}: update steps per epoch depend on the transformers version here (${steps.rule.floor} up to 4.51, ${steps.rule.ceil} from 4.52, PR #37923)${used ? `; this run used ${used === 'floor' ? steps.rule.floor : steps.rule.ceil}` : ''}: resuming under a version on the other side of 4.52 counts ${used === 'floor' ? steps.rule.ceil : used === 'ceil' ? steps.rule.floor : 'the other value'} and places the resume differently (#37777).`);
  }
  if (!ctx.paths('optimizer').length) ctx.warnings.push(`${trainerState}: no optimizer.pt beside it: Trainer restores global_step, but the optimizer and scheduler state start afresh`);
  if (!model && !ctx.plan.files.some((f) => f.role === 'weights')) {
    ctx.warnings.push(`${ctx.plan.path || ctx.plan.name}: no model weights in this folder: Trainer stops with "Can't find a valid checkpoint at ${ctx.plan.path || ctx.plan.name}"`);
  }
  const progress = hfProgress(hf, steps?.rule.batchesPerEpoch);
  return {
    kind: 'hf-trainer',
    hf,
    progress: progress && position.finished ? { ...progress, resume: { ...progress.resume, text: position.resume } } : progress,
    // DeepSpeed keeps the weights in global_step*/ (listed by the claim with their own roles)
    position: { ...position, resumable: position.resumable && (model !== undefined || ctx.plan.files.some((f) => f.role === 'weights' || /\/global_step\d+\//.test(f.path))) },
    metrics: hf.bestMetric !== undefined ? [{ name: hf.bestMetricName ?? 'best_metric', value: hf.bestMetric, best: true }] : [],
    facts: hfFacts(hf, steps?.rule, steps?.fits),
    optimizer: hf.optimizer,
    scheduler: hf.scheduler,
    scaler: hf.scaler,
    model,
    bestMetric: hf.bestMetric !== undefined ? { name: hf.bestMetricName ?? 'best_metric', value: hf.bestMetric } : undefined,
    repair: notRepairable('Trainer resumes from global_step in trainer_state.json; edit that instead of an epoch/step pair'),
  };
}

/** Hugging Face Trainer. */
export const hfTrainer: Convention = {
  id: 'hf-trainer',
  label: 'HF Trainer',
  repair: hfTrainerRepair,
  claimFolder(folder: FolderListing): CheckpointClaim[] {
    if (!folder.names.includes('trainer_state.json')) return [];
    const dir = folder.dir;
    // DeepSpeed inside the Trainer folder (`latest`, `global_stepN/`) belongs to this checkpoint, not a second one
    const deepspeed = folder.below.filter((p) => /^global_step\d+\/[^/]+$/.test(p.slice(dir ? dir.length + 1 : 0))).map((p) => ({ path: p, role: 'deepspeed-state' }));
    const files = [...folder.names.map((n) => ({ path: folder.join(n), role: n === 'latest' ? 'deepspeed-latest' : hfRole(n) })), ...deepspeed];
    return [{ id: dir || 'trainer_state.json', name: dir ? dir.slice(dir.lastIndexOf('/') + 1) : 'trainer_state.json', path: dir, files }];
  },
  read,
  // trainer_utils.py get_last_checkpoint: the checkpoint-<N> folder with the highest N
  pickResume: (checkpoints) =>
    [...checkpoints]
      .filter((c) => /(^|\/)checkpoint-\d+$/.test(c.id))
      .sort((a, b) => Number(/(\d+)$/.exec(b.id)?.[1]) - Number(/(\d+)$/.exec(a.id)?.[1]))[0],
};
