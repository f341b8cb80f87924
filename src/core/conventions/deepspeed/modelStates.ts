/**
 * The dict in `mp_rank_00_model_states.pt` (`deepspeed/runtime/engine.py`
 * `DeepSpeedEngine._save_checkpoint`): DeepSpeed's own keys plus the caller's `client_state`
 * merged at the top level (CONVENTIONS.md §8).
 */
import type { ByteSource } from '../../bytes/byteSource';
import { dictGet, dictKeys, type PyValue } from '../../pickle/values';
import type { TorchFile } from '../../torch/torchFile';
import { displayText } from '../plainValues';
import { numberOrScalar } from '../stateDicts';

/** Keys `_save_checkpoint` writes itself; every other top-level key is the caller's client_state. */
export const DEEPSPEED_KEYS: ReadonlySet<string> = new Set([
  'module', 'buffer_names', 'optimizer', 'param_shapes', 'frozen_param_shapes', 'shared_params', 'frozen_param_fragments',
  'lr_scheduler', 'data_sampler', 'random_ltd', 'sparse_tensor_module_names', 'skipped_steps', 'global_steps',
  'global_samples', 'dp_world_size', 'mp_world_size', 'ds_config', 'ds_version',
]);

/** DeepSpeed's counters and the client_state fields of a model-states dict. */
export interface ModelStates {
  readonly globalSteps: number | undefined;
  readonly globalSamples: number | undefined;
  readonly skippedSteps: number | undefined;
  readonly dpWorldSize: number | undefined;
  readonly mpWorldSize: number | undefined;
  readonly dsVersion: string | undefined;
  /** client_state: key -> value as text (numbers read from 0-d tensors too). */
  readonly clientState: [string, string][];
  /** client_state numbers by key (`epoch`, `step`, `iteration`...). */
  readonly clientNumbers: ReadonlyMap<string, number>;
}

/** True when a parsed file is a DeepSpeed model-states or optimizer-states dict (`ds_version` beside `module` or `optimizer_state_dict`). */
export function isDeepspeedStates(v: PyValue): boolean {
  return dictGet(v, 'ds_version') !== undefined && (dictGet(v, 'module') !== undefined || dictGet(v, 'optimizer_state_dict') !== undefined);
}

/** Read the counters and client_state of a model-states dict. */
export async function readModelStates(src: ByteSource, file: TorchFile): Promise<ModelStates> {
  const v = file.value;
  const num = (k: string) => numberOrScalar(src, file, dictGet(v, k));
  const clientState: [string, string][] = [];
  const clientNumbers = new Map<string, number>();
  for (const k of dictKeys(v)) {
    if (DEEPSPEED_KEYS.has(k)) continue;
    const x = dictGet(v, k);
    if (!x) continue;
    const n = await numberOrScalar(src, file, x);
    if (n !== undefined) clientNumbers.set(k, n);
    clientState.push([k, n !== undefined ? String(n) : displayText(x, 80)]);
  }
  const ver = dictGet(v, 'ds_version');
  return {
    globalSteps: await num('global_steps'),
    globalSamples: await num('global_samples'),
    skippedSteps: await num('skipped_steps'),
    dpWorldSize: await num('dp_world_size'),
    mpWorldSize: await num('mp_world_size'),
    dsVersion: ver?.kind === 'str' ? ver.value : undefined,
    clientState,
    clientNumbers,
  };
}
