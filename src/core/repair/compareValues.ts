/**
 * Structural comparison of two symbolic value trees (spans ignored): used to prove that a repaired
 * file holds exactly the original values except the intended fields. Tensors compare by dtype,
 * shape, stride, storage offset, storage key/dtype/numel/location; globals by module and name.
 */
import type { PyValue } from '../pickle/values';

/** A path into a value tree, e.g. `['optimizer_state_dict', 'state', '0', 'step']`. */
export type ValuePath = string[];

const MAX_DIFFS = 20;

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

/** A path as a linked list from the leaf up (shared prefixes, no copying per level). */
type PathNode = { readonly parent: PathNode; readonly label: string } | undefined;

/** One step of the walk: compare two sub-trees, or record a difference found after earlier children. */
type Task = { readonly x: PyValue; readonly y: PyValue; readonly path: PathNode } | { readonly differ: PathNode };

function pathOf(p: PathNode): ValuePath {
  const out: string[] = [];
  for (let q = p; q; q = q.parent) out.push(q.label);
  return out.reverse();
}

/**
 * Paths where `a` and `b` differ (at most 20, in depth-first order). Shared and cyclic sub-trees
 * are compared once. Iterative (an explicit stack): trees nested 100,000 levels deep, which a
 * pickle of a few hundred kilobytes can describe, are compared without exhausting the call stack.
 */
export function diffValues(a: PyValue, b: PyValue): ValuePath[] {
  const diffs: ValuePath[] = [];
  // pairs already compared: x -> the y it was compared with (a Set once there are several)
  const seen = new Map<object, object | Set<object>>();
  const stack: Task[] = [{ x: a, y: b, path: undefined }];
  // what one node compares, in order: children to walk and differences noticed between them
  const next: Task[] = [];
  while (stack.length) {
    const task = stack.pop() as Task;
    if ('differ' in task) {
      diffs.push(pathOf(task.differ));
      continue;
    }
    if (diffs.length >= MAX_DIFFS) continue;
    const { x, y, path } = task;
    const ys = seen.get(x);
    if (ys === undefined) seen.set(x, y);
    else if (ys === y || (ys instanceof Set && ys.has(y))) continue;
    else if (ys instanceof Set) ys.add(y);
    else seen.set(x, new Set([ys, y]));
    next.length = 0;
    compareNode(x, y, path, next);
    for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]);
  }
  return diffs;
}

function walk(next: Task[], x: PyValue, y: PyValue, parent: PathNode, label: string): void {
  next.push({ x, y, path: { parent, label } });
}

function differ(next: Task[], path: PathNode): void {
  next.push({ differ: path });
}

/** The comparisons of one node, appended to `next` in order: child pairs to walk, and differences. */
function compareNode(x: PyValue, y: PyValue, path: PathNode, next: Task[]): void {
  if (x.kind !== y.kind) return differ(next, path);
  switch (x.kind) {
    case 'none':
      return;
    case 'bool':
    case 'str':
    case 'float':
    case 'int': {
      const yv = (y as typeof x).value;
      if (x.kind === 'float' ? !Object.is(x.value, yv) : x.value !== yv) differ(next, path);
      return;
    }
    case 'complex': {
      const yc = y as typeof x;
      if (!Object.is(x.real, yc.real) || !Object.is(x.imag, yc.imag)) differ(next, path);
      return;
    }
    case 'bytes': {
      const yb = (y as typeof x).value;
      if (x.value.length !== yb.length || x.value.some((v, i) => v !== yb[i])) differ(next, path);
      return;
    }
    case 'tuple':
    case 'list':
    case 'set': {
      const yi = (y as typeof x).items;
      if (x.items.length !== yi.length) return differ(next, path);
      for (let i = 0; i < yi.length; i++) walk(next, x.items[i], yi[i], path, `[${i}]`);
      return;
    }
    case 'dict': {
      const yd = y as typeof x;
      if (x.entries.length !== yd.entries.length || x.ordered !== yd.ordered) return differ(next, path);
      for (let i = 0; i < x.entries.length; i++) {
        const [k, v] = x.entries[i];
        const [k2, v2] = yd.entries[i];
        walk(next, k, k2, path, `key ${keyLabel(k)}`);
        walk(next, v, v2, path, keyLabel(k));
      }
      return;
    }
    case 'global': {
      const yg = (y as typeof x).ref;
      if (x.ref.module !== yg.module || x.ref.name !== yg.name) differ(next, path);
      return;
    }
    case 'object': {
      const yo = y as typeof x;
      if (x.callee?.module !== yo.callee?.module || x.callee?.name !== yo.callee?.name || x.args.length !== yo.args.length || x.via !== yo.via) return differ(next, path);
      for (let i = 0; i < x.args.length; i++) walk(next, x.args[i], yo.args[i], path, `arg ${i}`);
      if (x.kwargs || yo.kwargs) (x.kwargs && yo.kwargs ? walk(next, x.kwargs, yo.kwargs, path, 'kwargs') : differ(next, path));
      if (x.state || yo.state) (x.state && yo.state ? walk(next, x.state, yo.state, path, 'state') : differ(next, path));
      const xl = x.listItems ?? [];
      const yl = yo.listItems ?? [];
      if (xl.length !== yl.length) return differ(next, path);
      for (let i = 0; i < xl.length; i++) walk(next, xl[i], yl[i], path, `item ${i}`);
      const xd = x.dictItems ?? [];
      const yd2 = yo.dictItems ?? [];
      if (xd.length !== yd2.length) return differ(next, path);
      for (let i = 0; i < xd.length; i++) {
        const [k, v] = xd[i];
        walk(next, k, yd2[i][0], path, `key ${keyLabel(k)}`);
        walk(next, v, yd2[i][1], path, keyLabel(k));
      }
      return;
    }
    case 'persistent':
      return walk(next, x.pid, (y as typeof x).pid, path, 'pid');
    case 'numpy-scalar': {
      const yn = y as typeof x;
      if (x.dtype !== yn.dtype || !Object.is(x.value, yn.value)) differ(next, path);
      return;
    }
    case 'numpy-dtype':
      if (x.dtype !== (y as typeof x).dtype) differ(next, path);
      return;
    case 'ndarray': {
      const ya = y as typeof x;
      if (x.dtype !== ya.dtype || x.shape.join() !== ya.shape.join()) differ(next, path);
      return;
    }
    case 'storage': {
      const ys2 = y as typeof x;
      if (x.key !== ys2.key || x.dtype !== ys2.dtype || x.numel !== ys2.numel || x.location !== ys2.location) differ(next, path);
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
      ) return differ(next, path);
      return walk(next, x.storage, yt.storage, path, 'storage');
    }
  }
}
