/**
 * Structural comparison of two symbolic value trees (spans ignored): used to prove that a repaired
 * file holds exactly the original values except the intended fields. Tensors compare by dtype,
 * shape, stride, storage offset, storage key/dtype/numel/location; globals by module and name.
 */
import type { PyValue } from '../pickle/values';

/** A path into a value tree, e.g. `['optimizer_state_dict', 'state', '0', 'step']`. */
export type ValuePath = string[];

const MAX_DIFFS = 20;
const MAX_DEPTH = 10_000;

function keyLabel(k: PyValue): string {
  switch (k.kind) {
    case 'str':
      return k.value;
    case 'int':
      return String(k.value);
    default:
      return `<${k.kind}>`;
  }
}

/**
 * Paths where `a` and `b` differ (at most 20). Shared and cyclic sub-trees are compared once.
 * @throws Error for trees nested deeper than 10,000 levels
 */
export function diffValues(a: PyValue, b: PyValue): ValuePath[] {
  const diffs: ValuePath[] = [];
  const seen = new Map<object, Set<object>>();
  const walk = (x: PyValue, y: PyValue, path: ValuePath): void => {
    if (diffs.length >= MAX_DIFFS) return;
    if (path.length > MAX_DEPTH) throw new Error('value tree too deep to compare');
    let ys = seen.get(x);
    if (ys?.has(y)) return;
    if (!ys) seen.set(x, (ys = new Set()));
    ys.add(y);
    const differ = (): void => void diffs.push(path);
    if (x.kind !== y.kind) return differ();
    switch (x.kind) {
      case 'none':
        return;
      case 'bool':
      case 'str':
      case 'float':
      case 'int': {
        const yv = (y as typeof x).value;
        if (x.kind === 'float' ? !Object.is(x.value, yv) : x.value !== yv) differ();
        return;
      }
      case 'complex': {
        const yc = y as typeof x;
        if (!Object.is(x.real, yc.real) || !Object.is(x.imag, yc.imag)) differ();
        return;
      }
      case 'bytes': {
        const yb = (y as typeof x).value;
        if (x.value.length !== yb.length || x.value.some((v, i) => v !== yb[i])) differ();
        return;
      }
      case 'tuple':
      case 'list':
      case 'set': {
        const yi = (y as typeof x).items;
        if (x.items.length !== yi.length) return differ();
        x.items.forEach((v, i) => walk(v, yi[i], [...path, `[${i}]`]));
        return;
      }
      case 'dict': {
        const yd = y as typeof x;
        if (x.entries.length !== yd.entries.length || x.ordered !== yd.ordered) return differ();
        x.entries.forEach(([k, v], i) => {
          const [k2, v2] = yd.entries[i];
          walk(k, k2, [...path, `key ${keyLabel(k)}`]);
          walk(v, v2, [...path, keyLabel(k)]);
        });
        return;
      }
      case 'global': {
        const yg = (y as typeof x).ref;
        if (x.ref.module !== yg.module || x.ref.name !== yg.name) differ();
        return;
      }
      case 'object': {
        const yo = y as typeof x;
        if (x.callee?.module !== yo.callee?.module || x.callee?.name !== yo.callee?.name || x.args.length !== yo.args.length || x.via !== yo.via) return differ();
        x.args.forEach((v, i) => walk(v, yo.args[i], [...path, `arg ${i}`]));
        if (x.kwargs || yo.kwargs) (x.kwargs && yo.kwargs ? walk(x.kwargs, yo.kwargs, [...path, 'kwargs']) : differ());
        if (x.state || yo.state) (x.state && yo.state ? walk(x.state, yo.state, [...path, 'state']) : differ());
        const xl = x.listItems ?? [];
        const yl = yo.listItems ?? [];
        if (xl.length !== yl.length) return differ();
        xl.forEach((v, i) => walk(v, yl[i], [...path, `item ${i}`]));
        const xd = x.dictItems ?? [];
        const yd2 = yo.dictItems ?? [];
        if (xd.length !== yd2.length) return differ();
        xd.forEach(([k, v], i) => {
          walk(k, yd2[i][0], [...path, `key ${keyLabel(k)}`]);
          walk(v, yd2[i][1], [...path, keyLabel(k)]);
        });
        return;
      }
      case 'persistent':
        return walk(x.pid, (y as typeof x).pid, [...path, 'pid']);
      case 'numpy-scalar': {
        const yn = y as typeof x;
        if (x.dtype !== yn.dtype || !Object.is(x.value, yn.value)) differ();
        return;
      }
      case 'numpy-dtype':
        if (x.dtype !== (y as typeof x).dtype) differ();
        return;
      case 'ndarray': {
        const ya = y as typeof x;
        if (x.dtype !== ya.dtype || x.shape.join() !== ya.shape.join()) differ();
        return;
      }
      case 'storage': {
        const ys2 = y as typeof x;
        if (x.key !== ys2.key || x.dtype !== ys2.dtype || x.numel !== ys2.numel || x.location !== ys2.location) differ();
        return;
      }
      case 'tensor': {
        const yt = y as typeof x;
        if (
          x.dtype !== yt.dtype ||
          x.shape.join() !== yt.shape.join() ||
          x.stride.join() !== yt.stride.join() ||
          x.storageOffset !== yt.storageOffset ||
          x.requiresGrad !== yt.requiresGrad ||
          x.parameter !== yt.parameter
        ) return differ();
        return walk(x.storage, yt.storage, [...path, 'storage']);
      }
    }
  };
  walk(a, b, []);
  return diffs;
}
