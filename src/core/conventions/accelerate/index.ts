/**
 * Hugging Face Accelerate `save_state` folders, and the diffusers training scripts built on them
 * (CONVENTIONS.md §3; accelerate `src/accelerate/checkpointing.py` `save_accelerator_state`,
 * `accelerator.py` `save_state`/`load_state`, `utils/constants.py`). One checkpoint per folder.
 * Accelerate stores no epoch and no global step: `load_state` restores the objects and the
 * training script decides where to restart. The step is read from the folder name
 * (`checkpoint-500`) or the scheduler's `last_epoch`, never from `random_states_*.pkl` `step`
 * (the gradient-accumulation counter).
 */
import type { AnalysisContext } from '../../analyze/context';
import type { Convention, ConventionPart } from '../convention';
import { notRepairable } from '../shared/repairEligibility';
import type { SavedFact, TrainingPosition } from '../summary';
import { accelerateClaim } from './files';
import { folderNameMeaning, type FolderNameMeaning } from './folderName';
import { listWords, readAccelerateState, type AccelerateState } from './readAccelerate';

/** Display names of the roles Accelerate adds. */
export const ACCELERATE_ROLES: Readonly<Record<string, string>> = {
  'custom-state': 'registered object state',
  'sampler-state': 'sampler / dataloader state',
  'extra-weights': 'other model weights',
  'deepspeed-state': 'DeepSpeed state',
  'deepspeed-latest': 'DeepSpeed latest tag',
};

/** The global step of an Accelerate folder, with where it came from and facts on agreement. */
export function accelerateGlobalStep(name: FolderNameMeaning | undefined, s: AccelerateState, dir: string, warnings: string[]): { step: number | undefined; facts: SavedFact[] } {
  const last = s.scheduler?.lastEpoch;
  const folder = dir.slice(dir.lastIndexOf('/') + 1);
  const facts: SavedFact[] = [];
  if (name?.kind === 'global-step') {
    if (last !== undefined) {
      const ratio = name.n > 0 ? last / name.n : undefined;
      if (last === name.n) facts.push({ label: 'scheduler.bin last_epoch', value: `${last} (agrees with the folder name ${folder})` });
      else if (ratio !== undefined && Number.isInteger(ratio) && ratio > 1) facts.push({ label: 'scheduler.bin last_epoch', value: `${last} = ${ratio} x ${name.n}: Accelerate steps a prepared scheduler once per process, so ${ratio} processes` });
      else {
        facts.push({ label: 'scheduler.bin last_epoch', value: String(last) });
        warnings.push(`${dir}: the folder name says global step ${name.n}, scheduler.bin last_epoch is ${last}`);
      }
    }
    return { step: name.n, facts };
  }
  if (last !== undefined) facts.push({ label: 'scheduler.bin last_epoch', value: `${last} (scheduler steps; Accelerate steps a prepared scheduler once per process per update)` });
  return { step: last, facts };
}

/** The resume sentence of an Accelerate folder (the script decides; CONVENTIONS.md §3 (a), (b)). */
export function accelerateResume(name: FolderNameMeaning | undefined, s: AccelerateState, step: number | undefined): string {
  const what = listWords(s.restored.filter((r) => r !== 'model'));
  const restores = `load_state restores ${what || 'nothing'}`;
  if (name?.kind === 'epoch') return `${restores}; the training script decides the epoch (accelerate's complete_nlp_example: folder epoch_${name.n} resumes at epoch ${name.n + 1})`;
  if (name?.kind === 'batches') return `${restores}; the training script decides the epoch (accelerate's complete_nlp_example: step_${name.n} resumes at epoch ${name.n} // len(train_dataloader), skipping ${name.n} mod len(train_dataloader) batches)`;
  if (step === undefined) return `${restores}; nothing in the folder records the step or epoch: the training script decides where training restarts`;
  return `${restores} at global step ${step}; the training script decides the epoch (diffusers: first_epoch = global_step // num_update_steps_per_epoch)`;
}

async function read(ctx: AnalysisContext): Promise<ConventionPart> {
  const s = await readAccelerateState(ctx);
  const dir = ctx.plan.path || ctx.plan.name;
  const name = folderNameMeaning(dir);
  const { step, facts } = accelerateGlobalStep(name, s, dir, ctx.warnings);
  const resumable = ctx.paths('optimizer').length > 0 && (s.model !== undefined || ctx.paths('weights').length > 0);
  if (!ctx.paths('optimizer').length) ctx.warnings.push(`${dir}: no optimizer.bin: accelerator.load_state fails if the training script prepared an optimizer`);
  if (!ctx.paths('weights').length && !ctx.paths('deepspeed-state').length) ctx.warnings.push(`${dir}: no model weights in this folder (model.safetensors, pytorch_model.bin or a unet/ sub-folder): load_state cannot restore the model`);
  const nameFact: SavedFact[] = name
    ? [{ label: 'folder name', value: name.kind === 'global-step' ? `checkpoint-${name.n}: global step ${name.n} (diffusers naming)` : name.kind === 'save-index' ? `checkpoint_${name.n}: save number ${name.n} from 0 (automatic_checkpoint_naming), not a step` : name.kind === 'epoch' ? `epoch_${name.n}: saved after epoch ${name.n} (0-based)` : `step_${name.n}: ${name.n} batches seen` }]
    : [];
  const position: TrainingPosition = {
    epochsCompleted: name?.kind === 'epoch' ? name.n + 1 : undefined,
    epoch: name?.kind === 'epoch' ? name.n : undefined,
    epochBase: 0,
    epochMeaning: name?.kind === 'epoch' ? 'index (from 0) of the epoch just finished, from the folder name' : 'Accelerate saves no epoch: the training script decides',
    stepInEpoch: name?.kind === 'epoch' ? 0 : undefined,
    stepsPerEpoch: undefined,
    stepUnit: name?.kind === 'batches' ? 'batches' : 'optimizer steps',
    globalStep: name?.kind === 'batches' ? name.n : step,
    finished: false,
    resumable,
    resume: accelerateResume(name, s, step),
    note: 'Accelerate stores no epoch or global step; random_states step is the gradient-accumulation counter',
  };
  return {
    kind: 'accelerate',
    position,
    metrics: [],
    facts: [...nameFact, ...facts, ...s.facts],
    optimizer: s.optimizer,
    scheduler: s.scheduler,
    scaler: s.scaler,
    model: s.model,
    repair: notRepairable('Accelerate records no position in the folder; the training script decides where to restart (renaming the folder is script-specific)'),
  };
}

/** HF Accelerate `save_state` folders (diffusers `checkpoint-N`, `checkpoints/checkpoint_N`). */
export const accelerate: Convention = {
  id: 'accelerate',
  label: 'Accelerate',
  roles: ACCELERATE_ROLES,
  claimFolder: accelerateClaim,
  read,
  /** `load_state()` without a path (automatic naming) and diffusers' `--resume_from_checkpoint latest` take the highest `checkpoint_N` / `checkpoint-N`. */
  pickResume: (checkpoints) => highestNumbered(checkpoints, /^checkpoint[-_](\d+)$/),
};

/** The checkpoint whose name matches `pattern` with the highest number (first group). */
export function highestNumbered<T extends { readonly name: string }>(checkpoints: readonly T[], pattern: RegExp): T | undefined {
  let best: T | undefined;
  let bestN = -1;
  for (const c of checkpoints) {
    const m = pattern.exec(c.name);
    if (m && Number(m[1]) > bestN) {
      best = c;
      bestN = Number(m[1]);
    }
  }
  return best;
}
