/**
 * Parameters of a pickled `nn.Module` object (Ultralytics `ema` / `model`, YOLOv5 `model`): the
 * pickle rebuilds the module with its `__dict__` as BUILD state, where `_parameters` maps names
 * to `Parameter` tensors and `_modules` maps names to child modules (torch/nn/modules/module.py
 * `Module.__setstate__`, `named_parameters`). Nothing is executed: the object stays symbolic and
 * only its state is walked.
 */
import { dictGet, type PyValue, type TensorValue } from '../../pickle/values';
import { keyText } from '../plainValues';

/** Most module objects walked in one tree (a guard against hostile nesting). */
const MAX_MODULES = 100_000;

/** The `__dict__` state of a pickled object, when it is a dict. */
function stateOf(v: PyValue | undefined): PyValue | undefined {
  if (!v || v.kind !== 'object') return undefined;
  const s = v.state;
  if (s?.kind === 'dict') return s;
  // (dict_state, slots_state) form of BUILD
  if (s?.kind === 'tuple' && s.items[0]?.kind === 'dict') return s.items[0];
  return undefined;
}

/** True when `v` is a pickled object whose state has the `_modules` / `_parameters` of an `nn.Module`. */
export function isModuleObject(v: PyValue | undefined): boolean {
  const s = stateOf(v);
  return !!s && (dictGet(s, '_modules') !== undefined || dictGet(s, '_parameters') !== undefined);
}

/** Class name of a pickled object (`ultralytics.nn.tasks.DetectionModel`), when it has one. */
export function objectClass(v: PyValue | undefined): string | undefined {
  return v?.kind === 'object' && v.callee ? `${v.callee.module}.${v.callee.name}` : undefined;
}

/**
 * The parameters of a pickled module object, named as `named_parameters()` would (`model.0.conv.weight`),
 * each shared tensor counted once; undefined when `v` is not a module object. Buffers
 * (BatchNorm running stats) are not parameters and are not counted.
 */
export function moduleParameters(v: PyValue | undefined): [string, TensorValue][] | undefined {
  if (!isModuleObject(v)) return undefined;
  const out: [string, TensorValue][] = [];
  const seenTensors = new Set<TensorValue>();
  const seenModules = new Set<PyValue>();
  const walk = (m: PyValue, prefix: string): void => {
    if (seenModules.has(m) || seenModules.size >= MAX_MODULES) return;
    seenModules.add(m);
    const s = stateOf(m);
    const params = dictGet(s, '_parameters');
    if (params?.kind === 'dict') {
      for (const [k, t] of params.entries) {
        if (t.kind === 'tensor' && !seenTensors.has(t)) {
          seenTensors.add(t);
          out.push([`${prefix}${keyText(k)}`, t]);
        }
      }
    }
    const children = dictGet(s, '_modules');
    if (children?.kind === 'dict') {
      for (const [k, child] of children.entries) if (child.kind === 'object') walk(child, `${prefix}${keyText(k)}.`);
    }
  };
  walk(v as PyValue, '');
  return out;
}
