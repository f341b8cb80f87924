/**
 * The version-dependent count of update steps per epoch (transformers `trainer.py`
 * `Trainer.set_initial_training_values`, older versions inline in `_inner_training_loop`):
 * U = `len(train_dataloader) // gradient_accumulation_steps` up to transformers 4.51, and
 * `ceil(len / GA)` from 4.52 (PR #37923, issues #37777, #36297, #31677), at least 1. With GA = 1
 * or a batch count divisible by GA the two agree.
 */

/** Both readings of U, the batch count they come from, and which one the saving version used. */
export interface UpdateStepsRule {
  /** `len(train_dataloader)` (batches per process per epoch), derived from the saved state. */
  readonly batchesPerEpoch: number;
  readonly gradientAccumulationSteps: number;
  /** floor(batches / GA): transformers <= 4.51. */
  readonly floor: number;
  /** ceil(batches / GA): transformers >= 4.52. */
  readonly ceil: number;
  /** `config.json` `transformers_version`, when present. */
  readonly transformersVersion: string | undefined;
  /** The rule of that version; undefined without a version. */
  readonly applies: 'floor' | 'ceil' | undefined;
  /** The sentence shown: both values and the one that applies. */
  readonly text: string;
}

/** True for transformers >= 4.52 (ceil), false for older, undefined when the text is no version. */
export function usesCeil(version: string | undefined): boolean | undefined {
  const m = version ? /^(\d+)\.(\d+)/.exec(version) : null;
  if (!m) return undefined;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > 4 || (major === 4 && minor >= 52);
}

/**
 * The batches per epoch behind a saved state. Trainer logs `epoch` = epochs done + batches done
 * in the current epoch / len(dataloader) (`_inner_training_loop`), and the batches done are
 * (global_step - epochs done x U) x GA. So len = batches done / fraction of the epoch.
 * @param u update steps per epoch as estimated from the saved numbers
 * @returns undefined when the epoch fraction is 0 or the result is not a whole number (within 0.01)
 */
export function batchesPerEpochOf(globalStep: number, epoch: number | undefined, u: number, ga: number): number | undefined {
  if (epoch === undefined || !Number.isFinite(epoch) || u <= 0) return undefined;
  const done = Math.floor(globalStep / u);
  const frac = epoch - done;
  if (!(frac > 1e-9)) return undefined;
  const len = ((globalStep - done * u) * ga) / frac;
  const r = Math.round(len);
  return r > 0 && Math.abs(len - r) <= 0.01 ? r : undefined;
}

/** Both U readings for `batches` batches and GA, with the one `version` uses. */
export function updateStepsRule(batches: number, ga: number, version: string | undefined): UpdateStepsRule {
  const floor = Math.max(1, Math.floor(batches / ga));
  const ceil = Math.max(1, Math.ceil(batches / ga));
  const c = usesCeil(version);
  const applies = c === undefined ? undefined : c ? 'ceil' : 'floor';
  const which = applies === undefined
    ? 'config.json names no transformers_version, so which one the run used cannot be told'
    : `transformers ${version} uses ${applies === 'ceil' ? `ceil (from 4.52, PR #37923): ${ceil}` : `floor (up to 4.51): ${floor}`}`;
  const text = floor === ceil
    ? `${floor} update steps per epoch (${batches} batches / gradient_accumulation_steps ${ga}; floor and ceil agree)`
    : `${batches} batches / gradient_accumulation_steps ${ga}: ${floor} update steps per epoch up to transformers 4.51 (floor), ${ceil} from 4.52 (ceil, PR #37923); ${which}`;
  return { batchesPerEpoch: batches, gradientAccumulationSteps: ga, floor, ceil, transformersVersion: version, applies, text };
}
