/**
 * The EnStack convention (github.com/TCTri205/EnStack-paper): a folder holding
 * `training_state.pth` (epoch, step, total_batches, best_val_*, optimizer/scheduler/scaler state)
 * beside `model.safetensors` or `pytorch_model.bin` and `config.json`. Resume rule: the seed tool
 * `scripts/debug_checkpoint.py` (`resumeDecision.ts`): step 0 or step >= total_batches = epoch
 * complete, otherwise continue epoch `epoch` from batch `step`.
 */
import type { AnalysisContext } from '../../analyze/context';
import { readModel } from '../../analyze/weights';
import type { Convention, ConventionPart } from '../convention';
import type { CheckpointClaim, FolderListing } from '../../folder/checkpointPlan';
import { epochStepRepairOf, notRepairable } from '../shared/repairEligibility';
import type { TrainingPosition, TrainingProgress } from '../summary';
import { readEnstackState } from './state';

const WEIGHT_FILES = ['model.safetensors', 'pytorch_model.bin', 'adapter_model.safetensors', 'adapter_model.bin'];

/** The shared position of an EnStack progress (epoch = 1-based index of the epoch in progress). */
export function enstackPosition(p: TrainingProgress, resumable: boolean | undefined): TrainingPosition {
  const complete = p.status === 'complete';
  return {
    epochsCompleted: complete ? p.epoch : p.epoch - 1,
    epoch: p.epoch,
    epochBase: 1,
    epochMeaning: 'number (from 1) of the epoch in progress; step 0 means it completed',
    stepInEpoch: p.stepSaved === false ? undefined : complete ? 0 : p.step,
    stepsPerEpoch: p.totalBatches,
    stepUnit: 'batches',
    globalStep: undefined,
    finished: false,
    resumable,
    resume: p.resume.text,
  };
}

/**
 * Read a torch.save dict with top-level epoch and step the EnStack way (also used by the generic
 * convention for single files of that shape, which keep `kind`).
 */
export async function readEnstackCheckpoint(ctx: AnalysisContext, path: string, kind: string): Promise<ConventionPart> {
  const state = await ctx.loadTorch(path);
  const model = await readModel(ctx);
  if (!state) return { kind: 'unreadable', model, repair: notRepairable('no readable training state') };
  const s = await readEnstackState(ctx.open(path), state);
  for (const w of s.warnings) ctx.warnings.push(w);
  const metrics = [
    ...(s.bestValF1 !== undefined ? [{ name: 'best_val_f1', value: s.bestValF1, best: true }] : []),
    ...(s.bestValAcc !== undefined ? [{ name: 'best_val_acc', value: s.bestValAcc, best: true }] : []),
  ];
  return {
    kind,
    progress: s.progress,
    position: s.progress ? enstackPosition(s.progress, s.optimizer !== undefined) : undefined,
    metrics,
    bestValF1: s.bestValF1,
    bestValAcc: s.bestValAcc,
    optimizer: s.optimizer,
    scheduler: s.scheduler,
    scaler: s.scaler,
    history: s.history,
    model,
    repair: epochStepRepairOf(ctx, state, path),
  };
}

/** EnStack-style folders. */
export const enstack: Convention = {
  id: 'enstack',
  label: 'EnStack',
  claimFolder(folder: FolderListing): CheckpointClaim[] {
    const { names, dir } = folder;
    if (!names.includes('training_state.pth') || folder.claimed.has('training_state.pth')) return [];
    // The state, the weights and the config belong to the checkpoint; any other torch file in the
    // folder (a copy, a conflict copy) is analysed on its own.
    const weights = WEIGHT_FILES.find((w) => names.includes(w));
    return [
      {
        id: dir || 'training_state.pth',
        name: dir ? dir.slice(dir.lastIndexOf('/') + 1) : 'training_state.pth',
        path: dir,
        files: names
          .filter((n) => !folder.claimed.has(n))
          .map((n) => ({ path: folder.join(n), role: n === 'training_state.pth' ? 'training-state' : n === weights ? 'weights' : n === 'config.json' ? 'config' : 'other' })),
      },
    ];
  },
  read(ctx) {
    return readEnstackCheckpoint(ctx, ctx.paths('training-state')[0], 'enstack');
  },
};
