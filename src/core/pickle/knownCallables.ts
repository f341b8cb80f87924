/**
 * Interpretation of the harmless Python and numpy callables that checkpoints use, as
 * {@link PickleHooks}. Anything not listed stays a symbolic object. Nothing is ever imported.
 */
import type { PickleHooks } from './machine';
import type { GlobalRef, PyValue } from './values';
import { buildNdarray, buildNumpyDtype, latin1Bytes, makeNumpyDtype, makeNumpyScalar } from './numpyValues';

const NUMPY_MULTIARRAY = new Set(['numpy.core.multiarray', 'numpy._core.multiarray']);

/** Known-callable handler: positional args -> value, or undefined to stay symbolic. */
export type CallHandler = (args: PyValue[]) => PyValue | undefined;

/** Handlers keyed by `module.name`. */
export const PYTHON_CALLABLES: ReadonlyMap<string, CallHandler> = new Map<string, CallHandler>([
  ['collections.OrderedDict', orderedDict],
  ['builtins.set', (a) => makeSet(a, false)],
  ['__builtin__.set', (a) => makeSet(a, false)],
  ['builtins.frozenset', (a) => makeSet(a, true)],
  ['__builtin__.frozenset', (a) => makeSet(a, true)],
  ['builtins.complex', complexOf],
  ['__builtin__.complex', complexOf],
  ['_codecs.encode', codecsEncode],
  // protocol < 3 writes b'' as bytes() (CPython Lib/pickle.py save_bytes)
  ['builtins.bytes', (a) => (a.length === 0 ? { kind: 'bytes', value: new Uint8Array(0) } : undefined)],
  ['__builtin__.bytes', (a) => (a.length === 0 ? { kind: 'bytes', value: new Uint8Array(0) } : undefined)],
  ['numpy.dtype', makeNumpyDtype],
  ['copy_reg._reconstructor', reconstructor],
  ['copyreg._reconstructor', reconstructor],
  ...[...NUMPY_MULTIARRAY].map((m) => [`${m}.scalar`, makeNumpyScalar] as [string, CallHandler]),
  ...[...NUMPY_MULTIARRAY].map((m) => [`${m}._reconstruct`, reconstruct] as [string, CallHandler]),
]);

/** Hooks for plain Python + numpy pickles (no torch persistent ids). */
export const pythonHooks: PickleHooks = {
  call: (callee: GlobalRef, args: PyValue[]) => PYTHON_CALLABLES.get(`${callee.module}.${callee.name}`)?.(args),
  build: buildKnown,
};

/** BUILD for values the known callables made (numpy dtype byte order, ndarray shape, OrderedDict state). */
export function buildKnown(target: PyValue, state: PyValue): PyValue | undefined {
  if (target.kind === 'numpy-dtype') return buildNumpyDtype(target, state);
  if (target.kind === 'ndarray') return buildNdarray(state) ?? target;
  if (target.kind === 'tensor') return target; // _rebuild_parameter_with_state / tensor subclass state
  // OrderedDict instance __dict__ (a state_dict's `_metadata`): the mapping itself is what matters.
  if (target.kind === 'dict') return target;
  return undefined;
}

function orderedDict(args: PyValue[]): PyValue | undefined {
  const entries: [PyValue, PyValue][] = [];
  const src = args[0];
  if (src && src.kind === 'list') {
    for (const pair of src.items) if (pair.kind === 'tuple' && pair.items.length === 2) entries.push([pair.items[0], pair.items[1]]);
  }
  return { kind: 'dict', entries, ordered: true };
}

function makeSet(args: PyValue[], frozen: boolean): PyValue | undefined {
  const src = args[0];
  const items = !src ? [] : src.kind === 'list' || src.kind === 'tuple' || src.kind === 'set' ? [...src.items] : undefined;
  return items ? { kind: 'set', items, frozen } : undefined;
}

function complexOf(args: PyValue[]): PyValue | undefined {
  const [re, im] = args;
  const num = (v: PyValue | undefined): number | undefined =>
    v === undefined ? 0 : v.kind === 'float' ? v.value : v.kind === 'int' ? Number(v.value) : undefined;
  const r = num(re);
  const i = num(im);
  return r === undefined || i === undefined ? undefined : { kind: 'complex', real: r, imag: i };
}

function codecsEncode(args: PyValue[]): PyValue | undefined {
  const [text, enc] = args;
  if (!text || text.kind !== 'str') return undefined;
  const encoding = enc && enc.kind === 'str' ? enc.value.toLowerCase().replace(/[-_]/g, '') : 'utf8';
  if (encoding === 'latin1' || encoding === 'iso88591') return { kind: 'bytes', value: latin1Bytes(text.value) };
  if (encoding === 'utf8') return { kind: 'bytes', value: new TextEncoder().encode(text.value) };
  return undefined;
}

function reconstruct(args: PyValue[]): PyValue | undefined {
  const cls = args[0];
  if (cls && cls.kind === 'global' && cls.ref.name === 'ndarray') return { kind: 'ndarray', dtype: 'object', shape: [] };
  return undefined;
}

/**
 * `copyreg._reconstructor(cls, base, state)` (protocols 0-1 `object.__reduce_ex__`): `base.__new__(cls)`
 * then `base.__init__(obj, state)`: for a dict or list base the state is the items. The class is
 * instantiated, so it counts as called.
 */
function reconstructor(args: PyValue[]): PyValue | undefined {
  const [cls, base, state] = args;
  if (!cls || cls.kind !== 'global' || !base || base.kind !== 'global') return undefined;
  cls.ref.called = true;
  const b = `${base.ref.module}.${base.ref.name}`;
  if ((b === 'builtins.dict' || b === '__builtin__.dict') && state?.kind === 'dict') {
    return { kind: 'object', callee: cls.ref, args: [], dictItems: [...state.entries], via: 'copyreg._reconstructor' };
  }
  if ((b === 'builtins.list' || b === '__builtin__.list') && state?.kind === 'list') {
    return { kind: 'object', callee: cls.ref, args: [], listItems: [...state.items], via: 'copyreg._reconstructor' };
  }
  if ((b === 'builtins.object' || b === '__builtin__.object') && (!state || state.kind === 'none')) {
    return { kind: 'object', callee: cls.ref, args: [], via: 'copyreg._reconstructor' };
  }
  return undefined;
}
