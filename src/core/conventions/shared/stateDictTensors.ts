/**
 * Find the model among the state dicts of a torch.save file: every candidate dict (the root, or
 * the value under `state_dict`, `model`, `net`, `model_state_dict`, `ema`...) is counted and the
 * one holding the MOST tensors wins, so a 0-d best-metric tensor at the root (`best_acc1`,
 * `best_mae_error`) never passes for "the model". Tensors inside tuples and lists are counted too:
 * eager-mode quantized Linear layers save `_packed_params._packed_params` as a (weight, bias)
 * tuple (torch/ao/nn/quantized/modules/linear.py `LinearPackedParams._save_to_state_dict`), and
 * quantized weights are `torch._utils._rebuild_qtensor` tensors (read as tensors by
 * `torch/torchCallables.ts`).
 */
import { dictGet, type PyValue, type TensorValue } from '../../pickle/values';
import { keyText } from '../plainValues';
import { MAX_TENSOR_LIST } from '../modelWeights';
import type { ModelSummary } from '../summary';

/** Keys under which plain PyTorch scripts save the model's state dict, in order of preference on ties. */
export const MODEL_KEYS: readonly string[] = [
  'state_dict', 'model', 'model_state_dict', 'model_state', 'modelState', 'net', 'network', 'model_dict', 'weights', 'params', 'module', 'ema', 'state_dict_ema', 'model_ema',
];

/** A state dict found in a file: where it is (`''` = the root) and its named tensors. */
export interface FoundStateDict {
  /** The top-level key holding it, or `''` when the root itself is the state dict. */
  readonly key: string;
  readonly tensors: [string, TensorValue][];
}

/**
 * The named tensors of one dict: direct tensor values, plus tensors inside tuple or list values
 * (named `key[i]`). Non-dicts give none.
 */
export function namedTensors(v: PyValue | undefined): [string, TensorValue][] {
  if (!v || v.kind !== 'dict') return [];
  const out: [string, TensorValue][] = [];
  for (const [k, x] of v.entries) {
    const name = keyText(k);
    if (x.kind === 'tensor') out.push([name, x]);
    else if (x.kind === 'tuple' || x.kind === 'list') {
      x.items.forEach((item, i) => {
        if (item.kind === 'tensor') out.push([`${name}[${i}]`, item]);
      });
    }
  }
  return out;
}

/**
 * The candidate state dict with the most tensors among the root and the values under
 * {@link MODEL_KEYS} (and `extraKeys`); undefined when none holds a tensor. Ties go to the
 * earlier candidate (the named keys before the root).
 */
export function largestStateDict(root: PyValue, extraKeys: readonly string[] = []): FoundStateDict | undefined {
  let best: FoundStateDict | undefined;
  for (const key of [...MODEL_KEYS, ...extraKeys, '']) {
    const v = key === '' ? root : dictGet(root, key);
    const tensors = namedTensors(v);
    if (tensors.length > 0 && (!best || tensors.length > best.tensors.length)) best = { key, tensors };
  }
  return best;
}

/** Number of elements of a tensor (1 for 0-d). */
function numel(t: TensorValue): number {
  return t.shape.reduce((a, b) => a * b, 1);
}

/**
 * A model summary of named tensors: elements over all of them (units: elements), dtypes by
 * element count, the first {@link MAX_TENSOR_LIST} tensors. `file` names where they were found
 * (e.g. `model_int8.pth` or `last.pt › ema`).
 */
export function summarizeTensors(file: string, named: readonly [string, TensorValue][]): ModelSummary {
  const counts = new Map<string, number>();
  let parameters = 0;
  for (const [, t] of named) {
    const n = numel(t);
    parameters += n;
    counts.set(t.dtype, (counts.get(t.dtype) ?? 0) + n);
  }
  return {
    file,
    parameters,
    tensors: named.length,
    dtypes: [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([d]) => d),
    tensorList: named.slice(0, MAX_TENSOR_LIST).map(([name, t]) => ({ name, dtype: t.dtype, shape: [...t.shape] })),
  };
}

/** The model of a file: the largest candidate state dict, summarised; undefined when it holds no tensors. */
export function summarizeLargestStateDict(file: string, root: PyValue): ModelSummary | undefined {
  const found = largestStateDict(root);
  if (!found) return undefined;
  return summarizeTensors(found.key ? `${file} › ${found.key}` : file, found.tensors);
}
