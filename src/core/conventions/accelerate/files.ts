/**
 * File names of an Accelerate `save_state` folder (accelerate `src/accelerate/utils/constants.py`:
 * MODEL_NAME `pytorch_model`, SAFE_MODEL_NAME `model`, OPTIMIZER_NAME `optimizer`, SCHEDULER_NAME
 * `scheduler`, SAMPLER_NAME `sampler`, RNG_STATE_NAME `random_states`, SCALER_NAME `scaler.pt`;
 * `checkpointing.py` `save_accelerator_state`, `save_custom_state`), and how a folder is claimed.
 */
import type { CheckpointClaim, FolderListing, PlannedFile } from '../../folder/checkpointPlan';

/** `random_states_{process_index}.pkl`: the RNG states of one process (never model weights). */
export const RNG_STATE = /^random_states_\d+\.pkl$/;
/** `custom_checkpoint_{i}.pkl`: the `state_dict()` of the i-th object given to `register_for_checkpointing`. */
export const CUSTOM_STATE = /^custom_checkpoint_\d+\.pkl$/;
const OPTIMIZER = /^optimizer(_\d+)?\.bin$/;
const SCHEDULER = /^scheduler(_\d+)?\.bin$/;
const MODEL = /^(model(_\d+)?\.safetensors|pytorch_model(_\d+)?\.bin)$/;
/** Weights a diffusers save hook writes into sub-folders (`unet/diffusion_pytorch_model.safetensors`). */
const SUB_WEIGHTS = /(^|\/)(diffusion_pytorch_model|model|pytorch_model|adapter_model)(-\d+-of-\d+)?\.(safetensors|bin)$/;
/** Sub-folders a diffusers script saves its main model to, most likely first. */
const PRIMARY_SUBFOLDERS = ['unet', 'transformer', 'controlnet', 'prior', 'decoder'];

/** Role of a file directly in an Accelerate folder (`other` for anything Accelerate does not write). */
export function accelerateRole(name: string): string {
  if (RNG_STATE.test(name)) return 'rng-state';
  if (CUSTOM_STATE.test(name)) return 'custom-state';
  if (OPTIMIZER.test(name)) return 'optimizer';
  if (SCHEDULER.test(name)) return 'scheduler';
  if (name === 'scaler.pt') return 'scaler';
  if (name === 'sampler.bin' || /^sampler_\d+\.bin$/.test(name) || name === 'dl_state_dict.bin' || /^dl_state_dict_\d+\.bin$/.test(name)) return 'sampler-state';
  if (name === 'model.safetensors' || name === 'pytorch_model.bin') return 'weights';
  if (MODEL.test(name)) return 'extra-weights';
  if (name === 'latest') return 'deepspeed-latest';
  return 'other';
}

/**
 * True when the names of a folder are an Accelerate `save_state` folder: a `random_states_N.pkl`
 * or `custom_checkpoint_N.pkl`, or an `optimizer.bin` beside a scheduler or model file
 * (CONVENTIONS.md §16), none claimed yet, and no `trainer_state.json` (HF Trainer's).
 */
export function isAccelerateFolder(names: readonly string[], claimed: ReadonlySet<string>): boolean {
  if (names.includes('trainer_state.json')) return false;
  const free = names.filter((n) => !claimed.has(n));
  if (free.some((n) => RNG_STATE.test(n) || CUSTOM_STATE.test(n))) return true;
  return free.some((n) => OPTIMIZER.test(n)) && free.some((n) => SCHEDULER.test(n) || MODEL.test(n));
}

/** Direct sub-folder of `dir` that `path` lies in ('' when `path` is directly in `dir`). */
function subfolderOf(dir: string, path: string): string {
  const rest = dir ? path.slice(dir.length + 1) : path;
  const i = rest.indexOf('/');
  return i < 0 ? '' : rest.slice(0, i);
}

/**
 * The files of one Accelerate checkpoint folder with their roles: the folder's own files, plus the
 * files of its sub-folders (diffusers `unet/`, `unet_ema/`, `text_encoder/`; DeepSpeed's
 * `pytorch_model/` tag). The main model is the top-level `model.safetensors`/`pytorch_model.bin`,
 * else the first of `unet`, `transformer`, ... sub-folders holding weights; other weights are
 * `extra-weights`. Sub-folders that are checkpoints of their own (a DCP `.metadata`, another
 * `random_states_*.pkl` or `trainer_state.json`) are left to their conventions.
 */
export function accelerateFiles(folder: FolderListing): PlannedFile[] {
  const { dir, names, claimed } = folder;
  const own: PlannedFile[] = names.filter((n) => !claimed.has(n)).map((n) => ({ path: folder.join(n), role: accelerateRole(n) }));
  const hasTopModel = own.some((f) => f.role === 'weights');
  const bySub = new Map<string, string[]>();
  for (const p of folder.below) {
    const sub = subfolderOf(dir, p);
    const list = bySub.get(sub) ?? [];
    list.push(p);
    bySub.set(sub, list);
  }
  const isOwnCheckpoint = (paths: string[]) => paths.some((p) => /(^|\/)(\.metadata|trainer_state\.json|train_state\.json)$/.test(p) || RNG_STATE.test(p.slice(p.lastIndexOf('/') + 1)));
  const subs = [...bySub.keys()].filter((s) => !isOwnCheckpoint(bySub.get(s) ?? []));
  const withWeights = subs.filter((s) => (bySub.get(s) ?? []).some((p) => SUB_WEIGHTS.test(p)));
  const primary = hasTopModel ? undefined : (PRIMARY_SUBFOLDERS.find((s) => withWeights.includes(s)) ?? withWeights[0]);
  const below: PlannedFile[] = [];
  for (const s of subs) {
    for (const p of bySub.get(s) ?? []) {
      const name = p.slice(p.lastIndexOf('/') + 1);
      let role = 'other';
      if (/(^|_)model_states\.pt$|optim_states\.pt$/.test(name)) role = 'deepspeed-state';
      else if (SUB_WEIGHTS.test(p)) role = s === primary ? 'weights' : 'extra-weights';
      else if (s === primary && name.endsWith('.index.json')) role = 'weights-index';
      else if (s === primary && name === 'config.json') role = 'config';
      below.push({ path: p, role });
    }
  }
  return [...own, ...below];
}

/** The claim of an Accelerate folder (one checkpoint per folder), or none. */
export function accelerateClaim(folder: FolderListing): CheckpointClaim[] {
  if (!isAccelerateFolder(folder.names, folder.claimed)) return [];
  const dir = folder.dir;
  const name = dir ? dir.slice(dir.lastIndexOf('/') + 1) : (folder.names.find((n) => RNG_STATE.test(n)) ?? folder.names[0]);
  return [{ id: dir || folder.join(name), name, path: dir, files: accelerateFiles(folder) }];
}
