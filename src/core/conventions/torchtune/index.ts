/**
 * torchtune: `{output_dir}/epoch_{N}/` (or `step_{S}/`) holding the model files and the recipe
 * state, `recipe_state.pt` beside the model files or in `recipe_state/recipe_state.pt`
 * (`RECIPE_STATE_DIRNAME`; `torchtune/training/checkpointing/_checkpointer.py`, `_utils.py`).
 * `recipe_state.pt` = {`seed`, `epochs_run`, `total_epochs`, `max_steps_per_epoch`, `steps_run`?,
 * `optimizer`, `lr_scheduler`?, `dataloader`?}. Resume rule (`recipes/full_finetune_single_device.py`
 * `_update_recipe_state`, `train`): the epoch loop runs `range(epochs_run, total_epochs)`,
 * epochs_run being the completed count; the checkpoint's seed, total_epochs and
 * max_steps_per_epoch override the config; the StatefulDataLoader state is restored exactly.
 * The folder `epoch_N` is written after the epoch with index N (0-based), so it holds epochs_run N + 1.
 */
import type { AnalysisContext } from '../../analyze/context';
import { readModel } from '../../analyze/weights';
import { baseName } from '../../folder/paths';
import type { CheckpointClaim, FolderListing } from '../../folder/checkpointPlan';
import { asNumber, dictGet, type PyValue } from '../../pickle/values';
import type { Convention, ConventionPart } from '../convention';
import { notRepairable } from '../shared/repairEligibility';
import { summarizeOptimizer, summarizeScheduler } from '../stateDicts';
import type { SavedFact, TrainingPosition } from '../summary';

/** The fields of `recipe_state.pt` that place the run (units: epochs as a count, optimizer steps). */
export interface RecipeState {
  readonly epochsRun: number | undefined;
  readonly totalEpochs: number | undefined;
  readonly maxStepsPerEpoch: number | undefined;
  readonly stepsRun: number | undefined;
  readonly seed: number | undefined;
  readonly hasDataloader: boolean;
}

/** True when `root` holds `epochs_run` and `total_epochs` (torchtune `EPOCHS_KEY`, `TOTAL_EPOCHS_KEY`). */
export function isRecipeState(root: PyValue): boolean {
  return root.kind === 'dict' && dictGet(root, 'epochs_run') !== undefined && dictGet(root, 'total_epochs') !== undefined;
}

/** Read the recipe-state fields (undefined when absent). */
export function readRecipeState(root: PyValue): RecipeState {
  return {
    epochsRun: asNumber(dictGet(root, 'epochs_run')),
    totalEpochs: asNumber(dictGet(root, 'total_epochs')),
    maxStepsPerEpoch: asNumber(dictGet(root, 'max_steps_per_epoch')),
    stepsRun: asNumber(dictGet(root, 'steps_run')),
    seed: asNumber(dictGet(root, 'seed')),
    hasDataloader: dictGet(root, 'dataloader') !== undefined,
  };
}

/** The folder name's number: `epoch_3` -> epoch index 3, `step_500` -> step 500. */
function folderNumber(dir: string): { by: 'epoch' | 'step'; n: number } | undefined {
  const m = /^(epoch|step)_(\d+)$/.exec(baseName(dir));
  return m ? { by: m[1] as 'epoch' | 'step', n: Number(m[2]) } : undefined;
}

/** torchtune's position in the shared model: epochs from 0 as its folders count them. */
export function torchtunePosition(r: RecipeState, folder: { by: 'epoch' | 'step'; n: number } | undefined, hasOptimizer: boolean): TrainingPosition {
  const e = r.epochsRun;
  const finished = e !== undefined && r.totalEpochs !== undefined && e >= r.totalEpochs;
  // Saves by epoch land on an epoch boundary; a step_N save is inside an epoch only when the
  // steps run do not fill whole epochs (known only with max_steps_per_epoch).
  const per = r.maxStepsPerEpoch ?? (e && r.stepsRun !== undefined && folder?.by === 'epoch' && Number.isInteger(r.stepsRun / e) ? r.stepsRun / e : undefined);
  const into = folder?.by === 'step' ? (per && r.stepsRun !== undefined && e !== undefined ? r.stepsRun - e * per : undefined) : 0;
  return {
    epochsCompleted: e,
    epoch: e,
    epochBase: 0,
    epochMeaning: 'epochs_run: epochs completed (bumped only when the save lands on an epoch boundary)',
    stepInEpoch: into,
    stepsPerEpoch: per,
    stepUnit: 'optimizer steps',
    globalStep: r.stepsRun,
    plannedEpochs: r.totalEpochs,
    finished,
    resumable: hasOptimizer,
    resume: e === undefined
      ? 'where a resume starts cannot be told (no epochs_run)'
      : finished
        ? `train nothing: epochs_run ${e} has reached total_epochs ${r.totalEpochs} (the run finished)`
        : `start epoch ${e} (0-based) of range(${e}, ${r.totalEpochs ?? '?'})${into ? `, continuing after step ${into} (the dataloader state is restored)` : ''}`,
    note: 'torchtune runs range(epochs_run, total_epochs); the checkpoint overrides the seed, total_epochs and max_steps_per_epoch of the config.',
  };
}

async function read(ctx: AnalysisContext): Promise<ConventionPart> {
  const path = ctx.paths('recipe-state')[0] ?? ctx.paths('training-state')[0];
  const file = await ctx.loadTorch(path);
  const model = await readModel(ctx);
  if (!file) return { kind: 'unreadable', model, repair: notRepairable('no readable recipe state') };
  const root = file.value;
  const r = readRecipeState(root);
  const optimizer = await summarizeOptimizer(ctx.open(path), file, dictGet(root, 'optimizer'));
  const folder = folderNumber(ctx.plan.path);
  const position = torchtunePosition(r, ctx.paths('recipe-state').length ? folder : undefined, optimizer !== undefined);
  if (ctx.paths('recipe-state').length && folder?.by === 'epoch' && r.epochsRun !== undefined && folder.n + 1 !== r.epochsRun) {
    ctx.warnings.push(`${path}: the folder ${baseName(ctx.plan.path)} is written after epoch index ${folder.n}, so it should hold epochs_run ${folder.n + 1}, but it holds ${r.epochsRun}; a resume follows epochs_run.`);
  }
  if (!optimizer) ctx.warnings.push(`${path}: no optimizer state: torchtune saves it only in intermediate checkpoints, so this one cannot resume training (the optimizer would start afresh).`);
  const facts: SavedFact[] = [
    ...(r.epochsRun !== undefined ? [{ label: 'epochs_run', value: String(r.epochsRun) }] : []),
    ...(r.totalEpochs !== undefined ? [{ label: 'total_epochs', value: String(r.totalEpochs) }] : []),
    ...(r.maxStepsPerEpoch !== undefined ? [{ label: 'max_steps_per_epoch', value: String(r.maxStepsPerEpoch) }] : []),
    ...(r.stepsRun !== undefined ? [{ label: 'steps_run', value: String(r.stepsRun) }] : []),
    ...(r.seed !== undefined ? [{ label: 'seed', value: String(r.seed) }] : []),
    { label: 'dataloader state', value: r.hasDataloader ? 'saved (StatefulDataLoader)' : 'not saved' },
  ];
  return {
    kind: 'torchtune',
    position,
    facts,
    optimizer,
    scheduler: summarizeScheduler(dictGet(root, 'lr_scheduler')),
    model,
    repair: notRepairable('torchtune resumes from epochs_run, steps_run and the opaque dataloader state together; ckptview does not edit them'),
  };
}

/** Role of a model file beside a recipe state (torchtune `SHARD_FNAME`, HF and PEFT names). */
function modelRole(name: string): string {
  if (name === 'config.json') return 'config';
  if (name === 'adapter_config.json') return 'adapter-config';
  if (name.endsWith('.index.json')) return 'weights-index';
  if (/\.(safetensors|bin|pt|pth)$/.test(name)) return 'weights';
  return 'other';
}

/** torchtune. */
export const torchtune: Convention = {
  id: 'torchtune',
  label: 'torchtune',
  roles: { 'recipe-state': 'recipe state' },
  claimFolder(folder: FolderListing): CheckpointClaim[] {
    const dir = folder.dir;
    const beside = folder.names.includes('recipe_state.pt') && !folder.claimed.has('recipe_state.pt');
    const nested = folder.join('recipe_state/recipe_state.pt');
    const state = beside ? folder.join('recipe_state.pt') : folder.below.includes(nested) ? nested : undefined;
    if (!state || baseName(dir) === 'recipe_state') return beside ? [{ id: state as string, name: 'recipe_state.pt', path: dir, files: [{ path: state as string, role: 'recipe-state' }] }] : [];
    const others = folder.names.filter((n) => n !== 'recipe_state.pt' && !folder.claimed.has(n));
    // A second training state in the folder (adapter_N.pt, another trainer's file) is listed, not claimed.
    const files = [{ path: state, role: 'recipe-state' }, ...others.map((n) => ({ path: folder.join(n), role: modelRole(n) }))];
    return [{ id: dir || state, name: dir ? baseName(dir) : 'recipe_state.pt', path: dir, files }];
  },
  matches: (file) => isRecipeState(file.value),
  read,
};
