/**
 * Model weight summaries: safetensors headers (model.safetensors, adapter_model.safetensors) and
 * torch.save'd state dicts (pytorch_model.bin), plus the HF `config.json` fields that name the
 * model (`architectures`, `model_type`).
 */
import type { SafetensorsHeader } from '../safetensors/header';
import { dictGet, type PyValue, type TensorValue } from '../pickle/values';
import type { ModelSummary } from './summary';

const SAFETENSORS_DTYPES: Record<string, string> = {
  F64: 'float64', F32: 'float32', F16: 'float16', BF16: 'bfloat16', I64: 'int64', I32: 'int32', I16: 'int16', I8: 'int8',
  U8: 'uint8', BOOL: 'bool', F8_E4M3: 'float8_e4m3fn', F8_E5M2: 'float8_e5m2',
};

function rankDtypes(counts: Map<string, number>): string[] {
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([d]) => d);
}

/** Tensors listed in a summary, at most. */
export const MAX_TENSOR_LIST = 200;

/**
 * Summary of one or more safetensors headers (the shards of one model): element count over all
 * tensors (units: elements), dtypes, the first tensors, `__metadata__` of the first header.
 */
export function summarizeSafetensors(file: string, headers: SafetensorsHeader | SafetensorsHeader[]): ModelSummary {
  const list = Array.isArray(headers) ? headers : [headers];
  const counts = new Map<string, number>();
  let parameters = 0;
  let tensors = 0;
  const tensorList: { name: string; dtype: string; shape: number[] }[] = [];
  for (const header of list) {
    for (const t of header.tensors) {
      const n = t.shape.reduce((a, b) => a * b, 1);
      parameters += n;
      tensors++;
      const dt = SAFETENSORS_DTYPES[t.dtype] ?? t.dtype;
      counts.set(dt, (counts.get(dt) ?? 0) + n);
      if (tensorList.length < MAX_TENSOR_LIST) tensorList.push({ name: t.name, dtype: dt, shape: t.shape });
    }
  }
  return {
    file,
    parameters,
    tensors,
    dtypes: rankDtypes(counts),
    tensorList,
    metadata: Object.keys(list[0]?.metadata ?? {}).length ? list[0].metadata : undefined,
    shards: list.length > 1 ? list.length : undefined,
  };
}

/**
 * The tensors of a state dict with their keys: the root dict itself, or the dict under
 * `state_dict` / `model_state_dict` / `model` when the root wraps one.
 */
export function stateDictEntries(root: PyValue): [string, TensorValue][] {
  const candidates = [root, dictGet(root, 'state_dict'), dictGet(root, 'model_state_dict'), dictGet(root, 'model')];
  for (const c of candidates) {
    if (c && c.kind === 'dict') {
      const tensors = c.entries.flatMap(([k, v]): [string, TensorValue][] => (v.kind === 'tensor' ? [[k.kind === 'str' ? k.value : String(k.kind === 'int' ? k.value : '?'), v]] : []));
      if (tensors.length > 0) return tensors;
    }
  }
  return [];
}

/** Summary of a torch.save'd state dict (elements over all tensors). Undefined when it holds no tensors. */
export function summarizeStateDict(file: string, root: PyValue): ModelSummary | undefined {
  const named = stateDictEntries(root);
  if (named.length === 0) return undefined;
  const counts = new Map<string, number>();
  let parameters = 0;
  for (const [, t] of named) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    parameters += n;
    counts.set(t.dtype, (counts.get(t.dtype) ?? 0) + n);
  }
  return {
    file,
    parameters,
    tensors: named.length,
    dtypes: rankDtypes(counts),
    tensorList: named.slice(0, MAX_TENSOR_LIST).map(([name, t]) => ({ name, dtype: t.dtype, shape: [...t.shape] })),
  };
}

/** The naming fields of an HF config.json object (transformers `PretrainedConfig`). */
export function configFields(config: unknown): Pick<ModelSummary, 'architecture' | 'modelType' | 'configDtype' | 'labels'> {
  if (!config || typeof config !== 'object') return {};
  const c = config as { architectures?: unknown; model_type?: unknown; torch_dtype?: unknown; id2label?: unknown };
  const labels = c.id2label && typeof c.id2label === 'object' ? Object.values(c.id2label as Record<string, unknown>).map(String) : undefined;
  return {
    architecture: Array.isArray(c.architectures) && typeof c.architectures[0] === 'string' ? c.architectures[0] : undefined,
    modelType: typeof c.model_type === 'string' ? c.model_type : undefined,
    configDtype: typeof c.torch_dtype === 'string' ? c.torch_dtype : undefined,
    labels,
  };
}

/** PEFT adapter_config.json fields worth showing, as text. */
export function adapterFields(config: unknown): Record<string, string> | undefined {
  if (!config || typeof config !== 'object') return undefined;
  const out: Record<string, string> = {};
  for (const k of ['peft_type', 'task_type', 'base_model_name_or_path', 'r', 'lora_alpha', 'lora_dropout', 'target_modules']) {
    const v = (config as Record<string, unknown>)[k];
    if (v !== undefined && v !== null) out[k] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return Object.keys(out).length ? out : undefined;
}
