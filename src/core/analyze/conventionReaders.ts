/**
 * One reader per convention, each filling the convention-specific part of a
 * {@link CheckpointSummary} from an {@link AnalysisContext}.
 */
import { hasEpochAndStep, readEnstackState } from '../conventions/enstack';
import { readHfTrainer, type HfTrainerSummary } from '../conventions/hfTrainer';
import { isLightningCheckpoint, readLightning, type LightningSummary } from '../conventions/lightning';
import { summarizeStateDict } from '../conventions/modelWeights';
import { roundOneDecimal } from '../conventions/resumeDecision';
import { summarizeOptimizer } from '../conventions/stateDicts';
import type { CheckpointSummary, TrainingProgress } from '../conventions/summary';
import { fileWithRole } from '../folder/plan';
import { dictGet } from '../pickle/values';
import type { TorchFile } from '../torch/torchFile';
import type { AnalysisContext } from './context';
import { readModel } from './weights';

/** The convention-specific part of a summary. */
export type ConventionPart = Omit<CheckpointSummary, 'id' | 'name' | 'path' | 'files' | 'totalBytes' | 'problems' | 'warnings' | 'safety'>;

const NOT_REPAIRABLE = { eligible: false, reason: 'no readable training state' } as const;

/** Whether "mark epoch complete" applies to a parsed state file. */
function repairOf(ctx: AnalysisContext, state: TorchFile, path: string): CheckpointSummary['repair'] {
  // the file's findings were collected when it was loaded
  if (ctx.findings.some((f) => f.file === path && f.verdict === 'dangerous')) {
    return { eligible: false, reason: 'this file would run code when loaded, so ckptview will not write a new copy of it' };
  }
  if (state.format === 'pickle') return { eligible: false, reason: 'this is a plain pickle, not a torch.save file; ckptview repairs torch.save files only' };
  if (state.integrity.length) return { eligible: false, reason: 'the file failed an integrity check (see the problems above), and a repair would hide the damage' };
  if (hasEpochAndStep(state.value)) return { eligible: true, reason: 'epoch and step are saved at the top level of the state dict', file: path };
  return { eligible: false, reason: 'this file has no top-level epoch and step to repair' };
}

/** EnStack `training_state.pth` folders, and any torch.save dict with top-level epoch and step. */
export async function readEnstackCheckpoint(ctx: AnalysisContext, path: string, kind: 'enstack' | 'generic'): Promise<ConventionPart> {
  const state = await ctx.loadTorch(path);
  const model = await readModel(ctx);
  if (!state) return { kind: 'unreadable', model, repair: NOT_REPAIRABLE };
  const s = await readEnstackState(ctx.open(path), state);
  for (const w of s.warnings) ctx.warnings.push(w);
  return { kind, progress: s.progress, bestValF1: s.bestValF1, bestValAcc: s.bestValAcc, optimizer: s.optimizer, scheduler: s.scheduler, scaler: s.scaler, history: s.history, model, repair: repairOf(ctx, state, path) };
}

/** Any other torch.save file: its state-dict tensors, optimizer, and epoch/step when it has them. */
export async function readGenericCheckpoint(ctx: AnalysisContext, path: string): Promise<ConventionPart> {
  const state = await ctx.loadTorch(path);
  if (!state) return { kind: 'unreadable', repair: NOT_REPAIRABLE };
  if (hasEpochAndStep(state.value)) return readEnstackCheckpoint(ctx, path, 'generic');
  const optimizer = await summarizeOptimizer(ctx.open(path), state, dictGet(state.value, 'optimizer_state_dict') ?? dictGet(state.value, 'optimizer'));
  return { kind: 'generic', progress: epochOnly(state), optimizer, model: summarizeStateDict(path, state.value), repair: repairOf(ctx, state, path) };
}

/**
 * The PyTorch tutorial layout (`torch.save({'epoch': ..., 'model_state_dict': ..., ...})`) saves
 * an epoch and no step: the epoch is shown, and where a resume starts is the script's decision.
 */
function epochOnly(state: TorchFile): TrainingProgress | undefined {
  const e = dictGet(state.value, 'epoch');
  if (!e || e.kind !== 'int' || typeof e.value !== 'number') return undefined;
  return {
    epoch: e.value,
    step: 0,
    stepSaved: false,
    totalBatches: undefined,
    status: 'unknown',
    progressPercent: undefined,
    remainingBatches: undefined,
    resume: { epoch: e.value + 1, step: 0, text: `follow the training script: only epoch ${e.value} was saved, usually after finishing it, so most scripts start epoch ${e.value + 1}` },
    note: 'Only the epoch was saved (no step or batches per epoch): how far into it the save was made cannot be told.',
  };
}

/** Lightning's counters as the common progress shape; epochs stay 0-based as Lightning saves them. */
export function lightningProgress(l: LightningSummary): TrainingProgress | undefined {
  if (l.epoch === undefined) return undefined;
  const p = l.position;
  return {
    epoch: l.epoch,
    step: p.batchesDoneInEpoch ?? 0,
    totalBatches: undefined,
    status: p.epochFinished ? 'complete' : p.savedAt === 'unknown' ? 'unknown' : 'incomplete',
    progressPercent: undefined,
    remainingBatches: undefined,
    resume: { epoch: p.resumeEpoch ?? l.epoch, step: p.resumeAfterBatch, text: p.resume },
    note: `Lightning counts epochs from 0. ${p.explanation}`,
  };
}

/** PyTorch Lightning `.ckpt` files (others fall back to the generic reader). */
export async function readLightningCheckpoint(ctx: AnalysisContext, path: string): Promise<ConventionPart> {
  const state = await ctx.loadTorch(path);
  if (!state) return { kind: 'unreadable', repair: NOT_REPAIRABLE };
  if (!isLightningCheckpoint(state.value)) return readGenericCheckpoint(ctx, path);
  const l = await readLightning(ctx.open(path), state);
  for (const p of l.problems) ctx.problems.push(p);
  for (const w of l.warnings) ctx.warnings.push(w);
  return {
    kind: 'lightning',
    lightning: l,
    progress: lightningProgress(l),
    optimizer: l.optimizers[0],
    scheduler: l.schedulers[0],
    model: l.model,
    bestMetric: l.bestModelScore !== undefined ? { name: l.monitor ?? 'best_model_score', value: l.bestModelScore } : undefined,
    repair: { eligible: false, reason: 'Lightning resumes from its loop counters, not from a top-level epoch/step pair; re-save from Lightning instead' },
  };
}

/** Hugging Face Trainer position as the common progress shape (units: optimizer update steps). */
export function hfProgress(h: HfTrainerSummary): TrainingProgress | undefined {
  const per = h.stepsPerEpoch;
  if (per === undefined || h.epochsCompleted === undefined || h.stepsIntoEpoch === undefined) return undefined;
  const complete = h.stepsIntoEpoch === 0 && h.epochsCompleted > 0;
  const epoch = complete ? h.epochsCompleted : h.epochsCompleted + 1;
  return {
    epoch,
    step: h.stepsIntoEpoch,
    totalBatches: per,
    status: complete ? 'complete' : 'incomplete',
    progressPercent: complete ? undefined : roundOneDecimal((h.stepsIntoEpoch / per) * 100),
    remainingBatches: complete ? undefined : per - h.stepsIntoEpoch,
    resume: { epoch: complete ? epoch + 1 : epoch, step: complete ? 0 : h.stepsIntoEpoch, text: h.resume?.text ?? (complete ? `start epoch ${epoch + 1}` : `continue epoch ${epoch} from step ${h.stepsIntoEpoch}`) },
    note: 'Trainer counts optimizer update steps and resumes from global_step alone.',
  };
}

/** Hugging Face Trainer `checkpoint-N/` folders. */
export async function readHfCheckpoint(ctx: AnalysisContext): Promise<ConventionPart> {
  const trainerState = fileWithRole(ctx.plan, 'trainer-state') as string;
  const optional = (role: Parameters<typeof fileWithRole>[1]) => {
    const p = fileWithRole(ctx.plan, role);
    return p ? ctx.open(p) : undefined;
  };
  // every torch file once more through the shared loader: formats and safety findings
  for (const f of ctx.plan.files) if (['optimizer', 'scheduler', 'scaler', 'rng-state', 'training-args'].includes(f.role)) await ctx.loadTorch(f.path);
  const model = await readModel(ctx);
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
    });
  } catch (e) {
    ctx.fail(trainerState, e);
    return { kind: 'unreadable', model, repair: NOT_REPAIRABLE };
  }
  ctx.describe(trainerState, { format: 'JSON' });
  // per-file problems were already recorded by the shared loader for torch files
  for (const p of hf.problems) if (!ctx.problems.some((q) => q.file === p.file)) ctx.problems.push(p);
  for (const w of hf.warnings) ctx.warnings.push(w); // one per zip anomaly of each file: unbounded
  return {
    kind: 'hf-trainer',
    hf,
    progress: hfProgress(hf),
    optimizer: hf.optimizer,
    scheduler: hf.scheduler,
    scaler: hf.scaler,
    model,
    bestMetric: hf.bestMetric !== undefined ? { name: hf.bestMetricName ?? 'best_metric', value: hf.bestMetric } : undefined,
    repair: { eligible: false, reason: 'Trainer resumes from global_step in trainer_state.json; edit that instead of an epoch/step pair' },
  };
}

/** Weights-only checkpoints (safetensors, sharded sets, adapters). */
export async function readWeightsCheckpoint(ctx: AnalysisContext): Promise<ConventionPart> {
  const model = await readModel(ctx);
  return { kind: model ? 'weights' : 'unreadable', model, repair: { eligible: false, reason: 'model weights hold no training position' } };
}
