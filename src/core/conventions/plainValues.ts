/**
 * Plain-data renderings of symbolic values for display (training arguments, hyper-parameters,
 * scheduler fields), never executing anything, and the conversion of thrown errors into
 * per-file problems. Shared by the convention readers.
 */
import { CheckpointFormatError } from '../errors';
import { qualifiedName, type PyValue } from '../pickle/values';
import type { FileProblem } from './summary';

/** JSON-like plain data (also the shape of a parsed JSON file). Numbers may be NaN / ±Infinity. */
export type PlainValue = null | boolean | number | string | PlainValue[] | { [key: string]: PlainValue };

/** A value reduced to something a table cell shows: a scalar, or a text rendering. */
export type DisplayValue = string | number | boolean | null;

/** One key/value row for display (training arguments, hyper-parameters). */
export interface DisplayField {
  readonly key: string;
  readonly value: DisplayValue;
  /**
   * True when `value` is a text rendering of a nested or symbolic value (a list, a dict, a class
   * instance, a function reference), not a Python `str`.
   */
  readonly rendered: boolean;
}

/**
 * Nodes one {@link plainValue} rendering produces at most (shared by the calls given the same
 * {@link PlainBudget}); the rest become `'…'`. Memo references can make a pickle of a few hundred
 * bytes describe a tree of 10^20 nodes (each list holding the previous one k times): without a
 * budget its plain rendering never ends.
 */
export const MAX_PLAIN_NODES = 20_000;

/** A node budget shared by several {@link plainValue} calls (e.g. every field of one state dict). */
export interface PlainBudget {
  /** Nodes still to render. */
  nodes: number;
}

/** A fresh {@link PlainBudget} of `nodes` nodes. */
export function plainBudget(nodes = MAX_PLAIN_NODES): PlainBudget {
  return { nodes };
}

/**
 * A symbolic value as plain data, never executing anything. Lists, tuples and sets become arrays
 * cut to their first `maxItems` items; dicts become objects (non-string keys rendered as text);
 * tensors `{tensor: dtype, shape}`; numpy arrays `{ndarray: dtype, shape}`; numpy scalars their
 * number; globals `{global: 'module.name'}`; other objects `{object: 'module.name', args, state?}`;
 * bytes `{bytes: length}`; ints beyond 2^53 their decimal text. Nesting deeper than 12 levels, and
 * nodes beyond `budget` (default {@link MAX_PLAIN_NODES} per call), become `'…'`.
 */
export function plainValue(v: PyValue, maxItems = 8, depth = 0, budget: PlainBudget = plainBudget()): PlainValue {
  // Every call spends one node, cut or not, and every loop stops once the budget is spent: the
  // work of one rendering is bounded by the budget whatever the value's shape.
  if (budget.nodes <= 0) return '…';
  budget.nodes--;
  if (depth > 12) return '…';
  const sub = (x: PyValue): PlainValue => plainValue(x, maxItems, depth + 1, budget);
  const each = <T, R>(xs: readonly T[], f: (x: T) => R): R[] => {
    const out: R[] = [];
    for (const x of xs) {
      if (budget.nodes <= 0) break;
      out.push(f(x));
    }
    return out;
  };
  switch (v.kind) {
    case 'none':
      return null;
    case 'bool':
    case 'float':
    case 'str':
      return v.value;
    case 'int':
      return typeof v.value === 'bigint' ? v.value.toString() : v.value;
    case 'complex':
      return { complex: [v.real, v.imag] };
    case 'bytes':
      return { bytes: v.value.length };
    case 'tuple':
    case 'list':
    case 'set':
      return each(v.items.slice(0, maxItems), sub);
    case 'dict': {
      const out: { [key: string]: PlainValue } = {};
      each(v.entries, ([k, x]) => (out[keyTextSpending(k, budget)] = sub(x)));
      return out;
    }
    case 'tensor':
      return { tensor: v.dtype, shape: [...v.shape] };
    case 'ndarray':
      return { ndarray: v.dtype, shape: [...v.shape] };
    case 'numpy-scalar':
      return v.value === null ? null : typeof v.value === 'bigint' ? v.value.toString() : v.value;
    case 'numpy-dtype':
      return { dtype: v.dtype };
    case 'global':
      return { global: qualifiedName(v.ref) };
    case 'object': {
      const out: { [key: string]: PlainValue } = { object: v.callee ? qualifiedName(v.callee) : 'object', args: each(v.args, sub) };
      if (v.state) out.state = sub(v.state);
      if (v.listItems) out.items = each(v.listItems, sub);
      if (v.dictItems) out.dictItems = each(v.dictItems, ([k, x]) => [sub(k), sub(x)]);
      return out;
    }
    case 'persistent':
      return { persistent: sub(v.pid) };
    case 'storage':
      return { storage: v.dtype, numel: v.numel };
  }
}

/**
 * The entries of a dict as a plain object `{key text: plainValue(value)}`, every rendering
 * (keys included) drawing on one `budget`; entries past the budget are left out.
 */
export function plainEntries(entries: readonly [PyValue, PyValue][], budget: PlainBudget = plainBudget()): { [key: string]: PlainValue } {
  const out: { [key: string]: PlainValue } = {};
  for (const [k, x] of entries) {
    if (budget.nodes <= 0) break;
    out[keyTextSpending(k, budget)] = plainValue(x, 8, 0, budget);
  }
  return out;
}

/** A dict key as text: strings as they are, ints in decimal, anything else rendered. */
export function keyText(k: PyValue): string {
  if (k.kind === 'str') return k.value;
  if (k.kind === 'int') return String(k.value);
  return displayText(k, 80);
}

/** {@link keyText}, charging the nodes a rendered key takes to `budget`. */
function keyTextSpending(k: PyValue, budget: PlainBudget): string {
  if (k.kind === 'str') return k.value;
  if (k.kind === 'int') return String(k.value);
  const r = textWithin(k, 80);
  budget.nodes -= r.used;
  return r.text;
}

/**
 * The value of a str/int Enum member pickled by value (`Cls('steps')`, Python <= 3.10 and >= 3.12:
 * REDUCE of the class with one argument and no state), or undefined.
 */
export function enumValue(v: PyValue): string | number | undefined {
  if (v.kind !== 'object' || !v.callee || v.state || v.kwargs || v.listItems || v.dictItems || v.args.length !== 1) return undefined;
  const a = v.args[0];
  if (a.kind === 'str') return a.value;
  if (a.kind === 'int' && typeof a.value === 'number') return a.value;
  return undefined;
}

function pyString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/**
 * None, bool, int, float and complex as Python prints them (`None`, `True`, `1.5`, `nan`,
 * `(1+-2j)` written `(1-2j)`); undefined for every other kind.
 */
export function scalarText(v: PyValue): string | undefined {
  switch (v.kind) {
    case 'none':
      return 'None';
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'int':
      return String(v.value);
    case 'float':
      return pyNumber(v.value);
    case 'complex':
      return `(${pyNumber(v.real)}${v.imag < 0 || Object.is(v.imag, -0) ? '' : '+'}${pyNumber(v.imag)}j)`;
    default:
      return undefined;
  }
}

/** A float as Python prints it (`nan`, `inf`, `-inf`, else the shortest round-trip digits). */
export function pyNumber(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return String(x);
}

/**
 * A Python-like one-line rendering of a value, at most about `budget` characters (longer text is
 * cut with `…`). Used for nested values in display rows. Never executes anything.
 */
export function displayText(v: PyValue, budget = 200): string {
  return textWithin(v, budget).text;
}

/** {@link displayText} and the number of nodes it rendered. */
function textWithin(v: PyValue, budget: number): { text: string; used: number } {
  // Every rendered node adds at least one character before any later node's text starts, so after
  // `budget` nodes the text is already longer than `budget`: the rest cannot show and is not
  // rendered (shared sub-trees through the memo would otherwise take exponential time).
  // Long strings are cut to `budget` characters before escaping, for the same reason.
  const nodes = Math.max(1, budget);
  const left = { nodes, chars: nodes };
  const out = renderText(v, 0, left);
  return { text: out.length > budget ? `${out.slice(0, Math.max(0, budget - 1))}…` : out, used: nodes - left.nodes };
}

function renderText(v: PyValue, depth: number, left: { nodes: number; readonly chars: number }): string {
  if (left.nodes <= 0) return '…';
  left.nodes--;
  if (depth > 6) return '…';
  const r = (x: PyValue): string => renderText(x, depth + 1, left);
  /** Render `xs` in order, stopping (with one `…`) once the node budget is spent. */
  const each = <T>(xs: readonly T[], f: (x: T) => string): string[] => {
    const out: string[] = [];
    for (const x of xs) {
      if (left.nodes <= 0) {
        out.push('…');
        break;
      }
      out.push(f(x));
    }
    return out;
  };
  const items = (xs: PyValue[]): string => (xs.length > 20 ? [...each(xs.slice(0, 20), r), `… ${xs.length - 20} more`] : each(xs, r)).join(', ');
  switch (v.kind) {
    case 'none':
    case 'bool':
    case 'int':
    case 'float':
    case 'complex':
      return scalarText(v) as string;
    case 'str':
      return pyString(v.value.length > left.chars ? v.value.slice(0, left.chars) : v.value);
    case 'bytes':
      return `<${v.value.length} bytes>`;
    case 'tuple':
      return v.items.length === 1 ? `(${r(v.items[0])},)` : `(${items(v.items)})`;
    case 'list':
      return `[${items(v.items)}]`;
    case 'set':
      return `{${items(v.items)}}`;
    case 'dict': {
      const shown = each(v.entries.slice(0, 20), ([k, x]) => `${r(k)}: ${r(x)}`);
      if (v.entries.length > 20) shown.push(`… ${v.entries.length - 20} more`);
      return `{${shown.join(', ')}}`;
    }
    case 'tensor':
      return `tensor(${v.dtype}, [${v.shape.join(', ')}])`;
    case 'ndarray':
      return `ndarray(${v.dtype}, [${v.shape.join(', ')}])`;
    case 'numpy-scalar':
      return `numpy.${v.dtype}(${v.value === null ? '?' : String(v.value)})`;
    case 'numpy-dtype':
      return `dtype(${pyString(v.dtype)})`;
    case 'global':
      return `<${qualifiedName(v.ref)}>`;
    case 'object': {
      const name = v.callee ? qualifiedName(v.callee) : 'object';
      const call = `${name}(${items(v.args)})`;
      const contents = v.dictItems ? ` {${each(v.dictItems, ([k, x]) => `${r(k)}: ${r(x)}`).join(', ')}}` : v.listItems ? ` [${items(v.listItems)}]` : '';
      return v.state ? `${call}${contents} with ${r(v.state)}` : `${call}${contents}`;
    }
    case 'persistent':
      return `<persistent ${r(v.pid)}>`;
    case 'storage':
      return `<${v.storageClass} ${v.numel}>`;
  }
}

/**
 * A value for a display row: Python str/int/float/bool/None as themselves, numpy scalars and
 * str/int Enum members (e.g. `IntervalStrategy('steps')`) as their value, anything else as
 * {@link displayText}.
 */
export function displayValue(v: PyValue): { value: DisplayValue; rendered: boolean } {
  switch (v.kind) {
    case 'none':
      return { value: null, rendered: false };
    case 'bool':
    case 'float':
    case 'str':
      return { value: v.value, rendered: false };
    case 'int':
      return typeof v.value === 'bigint' ? { value: v.value.toString(), rendered: true } : { value: v.value, rendered: false };
    case 'numpy-scalar':
      return typeof v.value === 'number' || typeof v.value === 'boolean' ? { value: v.value, rendered: false } : { value: displayText(v), rendered: true };
    default: {
      const e = enumValue(v);
      return e !== undefined ? { value: e, rendered: false } : { value: displayText(v), rendered: true };
    }
  }
}

/** The entries of a dict (or of a dict-state object) as display rows, in insertion order. */
export function displayFields(v: PyValue | undefined): DisplayField[] {
  const entries =
    v?.kind === 'dict' ? v.entries : v?.kind === 'object' ? [...(v.dictItems ?? []), ...(v.state?.kind === 'dict' ? v.state.entries : [])] : [];
  return entries.map(([k, x]) => ({ key: keyText(k), ...displayValue(x) }));
}

/** Any thrown value as a {@link FileProblem} naming `file` (never rethrows). */
export function problemOf(file: string, e: unknown, context?: string): FileProblem {
  const prefix = context ? `${context}: ` : '';
  if (e instanceof CheckpointFormatError) {
    return { file, code: e.code, message: prefix + e.message, offset: e.offset, member: e.member };
  }
  return { file, code: 'internal', message: `${prefix}could not be read: ${readFailure(e)}` };
}

/**
 * Why a read failed, in words: a browser read of a dropped File rejects with a DOMException named
 * NotReadableError when the file changed, moved or lost its permission after it was chosen
 * (File API, "snapshot state"), and NotFoundError when it was removed; other errors keep their message.
 */
export function readFailure(e: unknown): string {
  const name = typeof e === 'object' && e !== null && 'name' in e ? String((e as { name: unknown }).name) : '';
  if (name === 'NotReadableError') return 'it changed, moved or lost its read permission after it was chosen: choose or drop it again';
  if (name === 'NotFoundError') return 'it was removed after it was chosen';
  return e instanceof Error ? e.message : String(e);
}

