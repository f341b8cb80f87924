/**
 * Pickle hooks for torch.save files: the persistent-load of storages and the tensor rebuild
 * functions, interpreted from their arguments without torch. Rules: PyTorch
 * `torch/serialization.py` (`persistent_load` in `_load` and `_legacy_load`) and `torch/_utils.py`
 * (`_rebuild_tensor_v2`, `_rebuild_parameter`, `_rebuild_parameter_with_state`, `_rebuild_qtensor`),
 * `torch/_tensor.py` (`_rebuild_from_type_v2`).
 */
import type { PickleHooks } from '../pickle/machine';
import { buildKnown, PYTHON_CALLABLES } from '../pickle/knownCallables';
import type { GlobalRef, PyValue, Span, StorageRef, TensorValue } from '../pickle/values';
import { storageDtype } from './dtypes';

/** Storages by key, shared by every tensor that views them. */
export type StorageTable = Map<string, StorageRef>;

function intOf(v: PyValue | undefined): number | undefined {
  return v && v.kind === 'int' ? Number(v.value) : v && v.kind === 'bool' ? Number(v.value) : undefined;
}

function intsOf(v: PyValue | undefined): number[] | undefined {
  if (!v || (v.kind !== 'tuple' && v.kind !== 'list')) return undefined;
  const out: number[] = [];
  for (const item of v.items) {
    const n = intOf(item);
    if (n === undefined) return undefined;
    out.push(n);
  }
  return out;
}

/**
 * Resolve a torch persistent id: `('storage', storage_type, key, location, numel[, view_metadata])`.
 * Unknown shapes stay `persistent` values (shown, never guessed).
 */
export function torchPersistentLoad(storages: StorageTable, pid: PyValue, span: Span): PyValue {
  if (pid.kind === 'tuple' && pid.items.length >= 5 && pid.items[0].kind === 'str' && pid.items[0].value === 'storage') {
    const [, type, keyV, locV, numelV] = pid.items;
    const cls = type.kind === 'global' ? `${type.ref.module}.${type.ref.name}` : type.kind === 'object' && type.callee ? `${type.callee.module}.${type.callee.name}` : '';
    const dt = storageDtype(cls);
    const key = keyV.kind === 'str' ? keyV.value : keyV.kind === 'int' ? String(keyV.value) : undefined;
    const numel = intOf(numelV);
    if (dt && key !== undefined && numel !== undefined) {
      const known = storages.get(key);
      if (known) return known;
      const ref: StorageRef = {
        kind: 'storage',
        key,
        dtype: dt.name,
        itemSize: dt.itemSize,
        location: locV.kind === 'str' ? locV.value : 'cpu',
        numel,
        storageClass: cls,
        span,
      };
      storages.set(key, ref);
      return ref;
    }
  }
  return { kind: 'persistent', pid, span };
}

function rebuildTensor(args: PyValue[]): TensorValue | undefined {
  const [storage, offsetV, sizeV, strideV, requiresGradV] = args;
  if (!storage || storage.kind !== 'storage') return undefined;
  const shape = intsOf(sizeV);
  const stride = intsOf(strideV);
  const storageOffset = intOf(offsetV);
  if (!shape || !stride || storageOffset === undefined) return undefined;
  return {
    kind: 'tensor',
    dtype: storage.dtype,
    shape,
    stride,
    storageOffset,
    storage,
    requiresGrad: requiresGradV?.kind === 'bool' ? requiresGradV.value : false,
    parameter: false,
  };
}

/**
 * A quantized tensor (`torch._utils._rebuild_qtensor`: storage, offset, size, stride, quantizer
 * params, requires_grad, hooks): its storage dtype (`qint8`, `quint8`...) and shape; the quantizer
 * params (scale, zero point) are not kept.
 */
function rebuildQTensor(args: PyValue[]): TensorValue | undefined {
  const t = rebuildTensor(args.slice(0, 4));
  if (!t) return undefined;
  const rg = args[5];
  return { ...t, requiresGrad: rg?.kind === 'bool' ? rg.value : false };
}

function rebuildParameter(args: PyValue[]): PyValue | undefined {
  const [data, requiresGradV] = args;
  if (!data || data.kind !== 'tensor') return undefined;
  return { ...data, parameter: true, requiresGrad: requiresGradV?.kind === 'bool' ? requiresGradV.value : data.requiresGrad };
}

/** Observers a loader attaches to the torch hooks. */
export interface TorchHookObservers {
  /** Every call of a global (see {@link PickleHooks.onCall}). */
  onCall?: PickleHooks['onCall'];
  /** Persistent ids that are not torch storage tuples (e.g. protocol-0 text ids). */
  unresolved?: PyValue[];
}

/** Pickle hooks for a torch.save pickle whose storages go into `storages`. */
export function torchHooks(storages: StorageTable, observers: TorchHookObservers = {}): PickleHooks {
  const call = (callee: GlobalRef, args: PyValue[]): PyValue | undefined => {
    const q = `${callee.module}.${callee.name}`;
    switch (q) {
      case 'torch._utils._rebuild_tensor_v2':
      case 'torch._utils._rebuild_tensor':
        return rebuildTensor(args);
      case 'torch._utils._rebuild_qtensor':
        // (storage, storage_offset, size, stride, quantizer_params, requires_grad, backward_hooks)
        return rebuildQTensor(args);
      case 'torch._utils._rebuild_parameter':
      case 'torch._utils._rebuild_parameter_with_state':
        return rebuildParameter(args);
      case 'torch._tensor._rebuild_from_type_v2': {
        // (func, new_type, args, state): apply func to args when func is itself known.
        const [func, , inner] = args;
        if (func?.kind === 'global' && inner?.kind === 'tuple') {
          func.ref.called = true;
          return call(func.ref, inner.items);
        }
        return undefined;
      }
      case 'torch.Size':
        return args[0] && args[0].kind === 'tuple' ? { kind: 'tuple', items: [...args[0].items] } : undefined;
      default:
        return PYTHON_CALLABLES.get(q)?.(args);
    }
  };
  return {
    call,
    build: buildKnown,
    onCall: observers.onCall,
    persistentLoad: (pid, span) => {
      const v = torchPersistentLoad(storages, pid, span);
      if (v.kind === 'persistent') observers.unresolved?.push(v);
      return v;
    },
  };
}
