/**
 * kohya sd-scripts `train_state.json` (`library/train_util.py` `save_state_on_epoch_end` /
 * `save_and_remove_state_stepwise`, read by `train_network.py` `load_model_hook`):
 * `{"current_epoch": E, "current_step": S}`. E is the 1-based epoch being trained when saved
 * (the completed count for end-of-epoch saves) and is NOT read; S is global_step at save and is
 * the only field resume reads (CONVENTIONS.md §11).
 */

/** The two fields of `train_state.json`. */
export interface KohyaTrainState {
  readonly currentEpoch: number | undefined;
  readonly currentStep: number | undefined;
}

/** The two fields from parsed JSON (numbers only; anything else is undefined). */
export function kohyaTrainState(json: unknown): KohyaTrainState {
  const o = json && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
  return { currentEpoch: num(o.current_epoch), currentStep: num(o.current_step) };
}

/** What a kohya state folder's name says: `{name}-{epoch:06d}-state`, `{name}-step{step:08d}-state`, `{name}-state`. */
export type KohyaFolderName = { readonly kind: 'epoch'; readonly n: number } | { readonly kind: 'step'; readonly n: number } | { readonly kind: 'final' } | undefined;

/** Parse a kohya state folder name (`train_util.py` `EPOCH_STATE_NAME`, `STEP_STATE_NAME`, `LAST_STATE_NAME`). */
export function kohyaFolderName(dir: string): KohyaFolderName {
  const name = dir.slice(dir.lastIndexOf('/') + 1);
  let m = /-(\d{6})-state$/.exec(name);
  if (m) return { kind: 'epoch', n: Number(m[1]) };
  m = /-step(\d{8})-state$/.exec(name);
  if (m) return { kind: 'step', n: Number(m[1]) };
  return /-state$/.test(name) ? { kind: 'final' } : undefined;
}

/** The kohya_ss #2771 check: how many steps an epoch has and whether `current_step` restarted. */
export interface KohyaStepCheck {
  /** Optimizer steps per epoch, when they can be told. */
  readonly stepsPerEpoch: number | undefined;
  /** True when current_step is smaller than the steps already trained (global_step restarted after a resume). */
  readonly restarted: boolean;
  /** The current_step a consistent state would hold (current_epoch x steps per epoch, or the optimizer's count). */
  readonly expectedStep: number | undefined;
}

/**
 * Check `current_step` against the optimizer's own step count (Adam `state[*].step` counts every
 * update across resumes because `load_state` restores it; CONVENTIONS.md §11 repair rule). Steps
 * per epoch = optimizer steps / current_epoch for an end-of-epoch state (`-000004-state`).
 * Tolerates the one-step lag the source corrects with `+ 1`.
 */
export function checkKohyaSteps(ts: KohyaTrainState, optimizerSteps: number | undefined, name: KohyaFolderName): KohyaStepCheck {
  const { currentEpoch: e, currentStep: s } = ts;
  let stepsPerEpoch: number | undefined;
  if (name?.kind === 'epoch' && optimizerSteps !== undefined && e !== undefined && e > 0 && optimizerSteps % e === 0) stepsPerEpoch = optimizerSteps / e;
  const restarted = s !== undefined && optimizerSteps !== undefined && s + 1 < optimizerSteps;
  const expectedStep = stepsPerEpoch !== undefined && e !== undefined ? e * stepsPerEpoch : optimizerSteps;
  return { stepsPerEpoch, restarted, expectedStep };
}
