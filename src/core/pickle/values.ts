/**
 * The symbolic Python values the pickle machine produces. Nothing here is ever executed: a global
 * stays a name, a call stays a description of the call, unless a known callable was interpreted
 * (see `knownCallables.ts` and `torch/torchCallables.ts`).
 *
 * Every value remembers the byte span of the opcode that produced it (offset relative to the start
 * of its pickle stream, opcode byte included). That span is what makes an exact in-place repair
 * possible.
 */

/** A byte range `[offset, offset + length)` inside one pickle stream. */
export interface Span {
  readonly offset: number;
  readonly length: number;
}

/** One imported name, as the GLOBAL / STACK_GLOBAL / INST opcode named it. */
export interface GlobalRef {
  readonly module: string;
  readonly name: string;
  /** Offset of the importing opcode in its pickle stream. */
  readonly offset: number;
  /**
   * The opcode that imported it (pickletools name), or `READ` for a reader note: not an import but
   * a way the file is read differently from torch.load (duplicate zip entries, FRAME divergence,
   * opcodes the weights_only unpickler lacks), carried with the globals so every safety scan sees
   * it (see `safety/scan.ts`).
   */
  readonly opcode: 'GLOBAL' | 'STACK_GLOBAL' | 'INST' | 'READ';
  /** For `READ` notes: what the note means for the verdict, and the sentence shown. */
  readonly note?: { readonly level: 'weights-only-rejects' | 'unknown'; readonly text: string };
  /** Set when the result of calling this global was itself called (e.g. `getattr(x, 'y')(...)`). */
  resultCalled?: boolean;
  /** Set when REDUCE / NEWOBJ / NEWOBJ_EX / INST / OBJ called it (or BUILD applied state to its result). */
  called: boolean;
  /** False when STACK_GLOBAL operands were not plain strings (the name cannot be resolved statically). */
  readonly resolved: boolean;
  /** Positional arguments of the first calls (at most 8), for context-aware safety verdicts. */
  readonly callArgs: PyValue[][];
}

/** Metadata of a torch storage (from the persistent id tuple; PyTorch torch/serialization.py). */
export interface StorageRef {
  readonly kind: 'storage';
  /** Record key: the zip member is `<top>/data/<key>`; in the legacy format, the storage-keys list entry. */
  readonly key: string;
  /** Element dtype in torch terms (`float32`, `int64`, `bfloat16`...). */
  readonly dtype: string;
  /** Element size in bytes. */
  readonly itemSize: number;
  /** Device location string as saved (`cpu`, `cuda:0`, `mps`). */
  readonly location: string;
  /** Number of elements of the storage (not bytes). */
  readonly numel: number;
  /** Storage class path, e.g. `torch.FloatStorage`. */
  readonly storageClass: string;
  span?: Span;
}

/** A tensor described by its storage view; its bytes are never read by the parser. */
export interface TensorValue {
  readonly kind: 'tensor';
  readonly dtype: string;
  /** Sizes per dimension; `[]` for a 0-d tensor. */
  readonly shape: readonly number[];
  /** Strides per dimension, in elements. */
  readonly stride: readonly number[];
  /** Offset of the first element in the storage, in elements. */
  readonly storageOffset: number;
  readonly storage: StorageRef;
  readonly requiresGrad: boolean;
  /** True when wrapped by `torch._utils._rebuild_parameter` (an `nn.Parameter`). */
  readonly parameter: boolean;
  span?: Span;
}

/**
 * A Python value as the pickle machine rebuilt it, symbolically: a tagged union on `kind`, each
 * with the span of the opcode that produced it.
 */
export type PyValue =
  | { kind: 'none'; span?: Span }
  | { kind: 'bool'; value: boolean; span?: Span }
  /** Python int: a `number` when it is a safe integer, a `bigint` otherwise (never rounded). */
  | { kind: 'int'; value: number | bigint; span?: Span }
  | { kind: 'float'; value: number; span?: Span }
  | { kind: 'complex'; real: number; imag: number; span?: Span }
  | { kind: 'str'; value: string; span?: Span }
  | { kind: 'bytes'; value: Uint8Array; span?: Span }
  | { kind: 'tuple'; items: PyValue[]; span?: Span }
  | { kind: 'list'; items: PyValue[]; span?: Span }
  /** dict or collections.OrderedDict (`ordered`); keys in insertion order, duplicates overwrite. */
  | { kind: 'dict'; entries: [PyValue, PyValue][]; ordered: boolean; span?: Span }
  | { kind: 'set'; items: PyValue[]; frozen: boolean; span?: Span }
  /** An imported name that was not called. */
  | { kind: 'global'; ref: GlobalRef; span?: Span }
  /**
   * A call of an uninterpreted callable (REDUCE / NEWOBJ / INST / OBJ), plus BUILD state, plus the
   * items APPENDed (list subclasses) or SETITEMed (dict subclasses) into it.
   */
  | {
      kind: 'object';
      callee: GlobalRef | undefined;
      args: PyValue[];
      kwargs?: PyValue;
      state?: PyValue;
      listItems?: PyValue[];
      dictItems?: [PyValue, PyValue][];
      via: string;
      span?: Span;
    }
  /** A persistent id the container did not resolve. */
  | { kind: 'persistent'; pid: PyValue; span?: Span }
  /** numpy scalar (numpy.core.multiarray.scalar): dtype string like `float64`, decoded value. */
  | { kind: 'numpy-scalar'; dtype: string; value: number | bigint | boolean | null; span?: Span }
  /** numpy.dtype(...) object: `str` like `<f8`. */
  | { kind: 'numpy-dtype'; dtype: string; span?: Span }
  /** numpy ndarray (numpy.core.multiarray._reconstruct + BUILD). */
  | { kind: 'ndarray'; dtype: string; shape: number[]; span?: Span }
  | StorageRef
  | TensorValue;

/** The kinds of {@link PyValue}. */
export type PyKind = PyValue['kind'];

/** `module.name` of a global reference. */
export function qualifiedName(ref: GlobalRef): string {
  return `${ref.module}.${ref.name}`;
}

/** Look up a string key in a dict value. Returns `undefined` for non-dicts and missing keys. */
export function dictGet(v: PyValue | undefined, key: string): PyValue | undefined {
  if (!v || v.kind !== 'dict') return undefined;
  for (let i = v.entries.length - 1; i >= 0; i--) {
    const [k, val] = v.entries[i];
    if (k.kind === 'str' && k.value === key) return val;
  }
  return undefined;
}

/** Keys of a dict value that are strings, in insertion order. */
export function dictKeys(v: PyValue | undefined): string[] {
  if (!v || v.kind !== 'dict') return [];
  return v.entries.flatMap(([k]) => (k.kind === 'str' ? [k.value] : []));
}

/**
 * A Python number (int, float, bool, numpy scalar, 0-d tensor excluded) as a JS number, or
 * `undefined` for anything else. BigInts beyond 2^53 are converted (with rounding) only here, for
 * display arithmetic; the value tree keeps them exact.
 */
export function asNumber(v: PyValue | undefined): number | undefined {
  if (!v) return undefined;
  switch (v.kind) {
    case 'int':
      return Number(v.value);
    case 'float':
      return v.value;
    case 'bool':
      return v.value ? 1 : 0;
    case 'numpy-scalar':
      return v.value === null ? undefined : Number(v.value);
    default:
      return undefined;
  }
}

/** A short type name for display: `int`, `dict`, `OrderedDict`, `Tensor`, `numpy.float64`, a class path... */
export function typeName(v: PyValue): string {
  switch (v.kind) {
    case 'dict':
      return v.ordered ? 'OrderedDict' : 'dict';
    case 'set':
      return v.frozen ? 'frozenset' : 'set';
    case 'tensor':
      return v.parameter ? 'Parameter' : 'Tensor';
    case 'numpy-scalar':
      return `numpy.${v.dtype}`;
    case 'object':
      return v.callee ? qualifiedName(v.callee) : 'object';
    case 'global':
      return 'global';
    case 'storage':
      return v.storageClass;
    default:
      return v.kind;
  }
}
