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

/** Summary of a safetensors header: element count over all tensors (units: elements). */
export function summarizeSafetensors(file: string, header: SafetensorsHeader): ModelSummary {
  const counts = new Map<string, number>();
  let parameters = 0;
  for (const t of header.tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    parameters += n;
    const dt = SAFETENSORS_DTYPES[t.dtype] ?? t.dtype;
    counts.set(dt, (counts.get(dt) ?? 0) + n);
  }
  return { file, parameters, tensors: header.tensors.length, dtypes: rankDtypes(counts) };
}

/**
 * The tensors of a state dict: the root dict itself, or the dict under `state_dict` /
 * `model_state_dict` / `model` when the root wraps one.
 */
export function stateDictTensors(root: PyValue): TensorValue[] {
  const candidates = [root, dictGet(root, 'state_dict'), dictGet(root, 'model_state_dict'), dictGet(root, 'model')];
  for (const c of candidates) {
    if (c && c.kind === 'dict') {
      const tensors = c.entries.flatMap(([, v]) => (v.kind === 'tensor' ? [v] : []));
      if (tensors.length > 0) return tensors;
    }
  }
  return [];
}

/** Summary of a torch.save'd state dict (elements over all tensors). Undefined when it holds no tensors. */
export function summarizeStateDict(file: string, root: PyValue): ModelSummary | undefined {
  const tensors = stateDictTensors(root);
  if (tensors.length === 0) return undefined;
  const counts = new Map<string, number>();
  let parameters = 0;
  for (const t of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    parameters += n;
    counts.set(t.dtype, (counts.get(t.dtype) ?? 0) + n);
  }
  return { file, parameters, tensors: tensors.length, dtypes: rankDtypes(counts) };
}

/** The naming fields of an HF config.json object. */
export function configFields(config: unknown): { architecture?: string; modelType?: string } {
  if (!config || typeof config !== 'object') return {};
  const c = config as { architectures?: unknown; model_type?: unknown };
  return {
    architecture: Array.isArray(c.architectures) && typeof c.architectures[0] === 'string' ? c.architectures[0] : undefined,
    modelType: typeof c.model_type === 'string' ? c.model_type : undefined,
  };
}
