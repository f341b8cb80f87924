/**
 * A browsable view of a symbolic value tree: the children of a node, a one-line description of
 * each, addressing by child indices, and a bounded search. Cycles (possible through the memo) and
 * depth are handled: nothing here recurses on the value structure.
 */
import { keyText, scalarText } from '../conventions/plainValues';
import { typeName, type PyValue } from '../pickle/values';
import { plural } from '../display/plural';

/** One child: its label (dict key, `[i]`, `state`...) and value. */
export interface TreeChild {
  readonly label: string;
  readonly value: PyValue;
}

/** A node as the tree view shows it. */
export interface TreeNode {
  /** Index path from the root. */
  readonly path: number[];
  readonly label: string;
  /** Python type name: `dict`, `OrderedDict`, `Tensor`, `numpy.float64`, a class path... */
  readonly type: string;
  /** One-line value: numbers and strings as they are, tensors as dtype and shape, containers by size. */
  readonly preview: string;
  /** Number of children (0 for leaves). */
  readonly count: number;
}

const ELEMENT_BYTES: Record<string, number> = { float64: 8, float32: 4, float16: 2, bfloat16: 2, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1, complex64: 8, complex128: 16 };

/** The children of a value, in order. Leaves have none. */
export function childrenOf(v: PyValue): TreeChild[] {
  switch (v.kind) {
    case 'dict':
      return v.entries.map(([k, x]) => ({ label: keyText(k), value: x }));
    case 'list':
    case 'tuple':
    case 'set':
      return v.items.map((x, i) => ({ label: `[${i}]`, value: x }));
    case 'object': {
      const out: TreeChild[] = v.args.map((x, i) => ({ label: `arg ${i}`, value: x }));
      if (v.kwargs) out.push({ label: 'kwargs', value: v.kwargs });
      (v.dictItems ?? []).forEach(([k, x]) => out.push({ label: keyText(k), value: x }));
      (v.listItems ?? []).forEach((x, i) => out.push({ label: `item ${i}`, value: x }));
      if (v.state) out.push({ label: 'state', value: v.state });
      return out;
    }
    case 'persistent':
      return [{ label: 'persistent id', value: v.pid }];
    default:
      return [];
  }
}

function shortString(s: string, max = 120): string {
  // only the first `max` characters can show: never escape a 100 MB string to show 120 of them
  const t = JSON.stringify(s.length > max ? s.slice(0, max) : s);
  return t.length > max ? `${t.slice(0, max - 1)}…"` : t;
}

/** A one-line preview of a value. */
export function previewOf(v: PyValue): string {
  switch (v.kind) {
    case 'none':
    case 'bool':
    case 'int':
    case 'float':
    case 'complex':
      return scalarText(v) as string;
    case 'str':
      return shortString(v.value);
    case 'bytes':
      return `${v.value.length} bytes`;
    case 'tuple':
    case 'list':
    case 'set':
      return plural(v.items.length, 'item');
    case 'dict':
      return plural(v.entries.length, "key");
    case 'global':
      return `${v.ref.module}.${v.ref.name}`;
    case 'object':
      return `${v.callee ? `${v.callee.module}.${v.callee.name}` : 'object'}(…)`;
    case 'persistent':
      return 'unresolved persistent id';
    case 'numpy-scalar':
      return v.value === null ? '?' : String(v.value);
    case 'numpy-dtype':
      return v.dtype;
    case 'ndarray':
      return `${v.dtype} [${v.shape.join(', ')}]`;
    case 'storage':
      return `${v.dtype} x ${v.numel} on ${v.location}`;
    case 'tensor': {
      const n = v.shape.reduce((a, b) => a * b, 1);
      const bytes = n * (ELEMENT_BYTES[v.dtype] ?? v.storage.itemSize);
      return `${v.dtype} [${v.shape.join(', ')}] · ${n} elements · ${bytes} B · storage ${v.storage.key} on ${v.storage.location}${v.requiresGrad ? ' · requires_grad' : ''}`;
    }
  }
}

/** Describe a child for the view. */
export function nodeOf(path: number[], child: TreeChild): TreeNode {
  return { path, label: child.label, type: typeName(child.value), preview: previewOf(child.value), count: childrenOf(child.value).length };
}

/** The value at an index path, or undefined when the path does not exist. */
export function resolvePath(root: PyValue, path: readonly number[]): PyValue | undefined {
  let v: PyValue | undefined = root;
  for (const i of path) {
    if (!v) return undefined;
    v = childrenOf(v)[i]?.value;
  }
  return v;
}

/** A page of a node's children. */
export function childPage(root: PyValue, path: readonly number[], offset = 0, limit = 500): { nodes: TreeNode[]; total: number } | undefined {
  const v = resolvePath(root, path);
  if (!v) return undefined;
  const kids = childrenOf(v);
  return { nodes: kids.slice(offset, offset + limit).map((c, i) => nodeOf([...path, offset + i], c)), total: kids.length };
}

/** A search hit: where it is, as labels and as indices. */
export interface SearchHit {
  readonly path: number[];
  readonly labels: string[];
  readonly type: string;
  readonly preview: string;
}

/** Where a visited node is: its index and label under its parent (a linked list, not copied per level). */
type Trail = { readonly parent: Trail; readonly index: number; readonly label: string } | undefined;

function trailPath(t: Trail): { path: number[]; labels: string[] } {
  const path: number[] = [];
  const labels: string[] = [];
  for (let q = t; q; q = q.parent) path.push(q.index), labels.push(q.label);
  return { path: path.reverse(), labels: labels.reverse() };
}

/**
 * Nodes whose key or preview contains `query` (case-insensitive), breadth-first, each value visited
 * once (shared and cyclic values included), at most `limit` hits and `budget` nodes visited.
 * Paths are kept as parent links and spelled out only for hits, so a value nested 100,000 levels
 * deep costs memory in proportion to its nodes, not to the square of its depth.
 */
export function searchTree(root: PyValue, query: string, limit = 200, budget = 2_000_000): { hits: SearchHit[]; visited: number; complete: boolean } {
  const q = query.toLowerCase();
  const hits: SearchHit[] = [];
  const seen = new Set<PyValue>([root]);
  let queue: { v: PyValue; trail: Trail }[] = [{ v: root, trail: undefined }];
  let visited = 0;
  while (queue.length) {
    const next: typeof queue = [];
    for (const item of queue) {
      const kids = childrenOf(item.v);
      for (let i = 0; i < kids.length; i++) {
        if (++visited > budget) return { hits, visited, complete: false };
        const c = kids[i];
        const trail: Trail = { parent: item.trail, index: i, label: c.label };
        const preview = previewOf(c.value);
        if (c.label.toLowerCase().includes(q) || preview.toLowerCase().includes(q)) {
          hits.push({ ...trailPath(trail), type: typeName(c.value), preview });
          if (hits.length >= limit) return { hits, visited, complete: false };
        }
        if (!seen.has(c.value) && childrenOf(c.value).length) {
          seen.add(c.value);
          next.push({ v: c.value, trail });
        }
      }
    }
    queue = next;
  }
  return { hits, visited, complete: true };
}
