/**
 * The `.metadata` file of a `torch.distributed.checkpoint` directory: a plain `pickle.dump` of
 * `Metadata` (`torch/distributed/checkpoint/metadata.py`): `state_dict_metadata` maps each
 * flattened key to `TensorStorageMetadata(properties, size, chunks)` or `BytesStorageMetadata()`;
 * `storage_data` maps `MetadataIndex(fqn, offset, index)` to `_StorageInfo(relative_path, offset,
 * length)` (`filesystem.py`). Read from the parsed pickle only; nothing is executed.
 */
import { asNumber, dictGet, type PyValue } from '../../pickle/values';

/** One tensor entry: flattened key, dtype, global shape, number of stored chunks. */
export interface DcpTensor {
  readonly name: string;
  readonly dtype: string;
  readonly shape: number[];
  readonly chunks: number;
}

/** Where a stored item lives: file (relative to the directory), byte offset and length. */
export interface DcpStorage {
  readonly file: string;
  readonly offset: number;
  readonly length: number;
}

/** What `.metadata` says. */
export interface DcpMetadata {
  readonly tensors: DcpTensor[];
  /** Keys of non-tensor values (each a torch.save blob inside a `.distcp` file). */
  readonly objects: string[];
  /** storage_data by fqn (the first item of each fqn). */
  readonly storage: ReadonlyMap<string, DcpStorage>;
  readonly version: string | undefined;
}

/** The BUILD state (or the constructor's first argument) of an object value. */
function stateOf(v: PyValue | undefined): PyValue | undefined {
  if (!v || v.kind !== 'object') return undefined;
  return v.state ?? v.args[0];
}

const calleeName = (v: PyValue | undefined): string | undefined => (v?.kind === 'object' ? v.callee?.name : undefined);

/** A `torch.Size` (REDUCE of torch.Size with a tuple) or a plain tuple/list as numbers. */
function sizeOf(v: PyValue | undefined): number[] | undefined {
  const t = v?.kind === 'object' ? v.args[0] : v;
  if (!t || (t.kind !== 'tuple' && t.kind !== 'list')) return undefined;
  const out = t.items.map((x) => asNumber(x));
  return out.every((x): x is number => x !== undefined) ? out : undefined;
}

/** `torch.float32` saved as a global -> `float32`. */
function dtypeOf(properties: PyValue | undefined): string {
  const st = stateOf(properties);
  const d = st?.kind === 'tuple' ? st.items[0] : dictGet(st, 'dtype');
  return d?.kind === 'global' ? d.ref.name : 'unknown';
}

/** Read a parsed `.metadata` value; undefined when it is not a `Metadata` object. */
export function readDcpMetadata(root: PyValue): DcpMetadata | undefined {
  if (calleeName(root) !== 'Metadata') return undefined;
  const st = stateOf(root);
  const sdm = dictGet(st, 'state_dict_metadata');
  if (!sdm || sdm.kind !== 'dict') return undefined;
  const tensors: DcpTensor[] = [];
  const objects: string[] = [];
  for (const [k, m] of sdm.entries) {
    const name = k.kind === 'str' ? k.value : '?';
    if (calleeName(m) === 'BytesStorageMetadata') {
      objects.push(name);
      continue;
    }
    const ms = stateOf(m);
    const chunks = dictGet(ms, 'chunks');
    tensors.push({ name, dtype: dtypeOf(dictGet(ms, 'properties')), shape: sizeOf(dictGet(ms, 'size')) ?? [], chunks: chunks?.kind === 'list' ? chunks.items.length : 0 });
  }
  const storage = new Map<string, DcpStorage>();
  const sd = dictGet(st, 'storage_data');
  if (sd?.kind === 'dict') {
    for (const [idx, info] of sd.entries) {
      const fqn = dictGet(stateOf(idx), 'fqn');
      const is = stateOf(info);
      const file = dictGet(is, 'relative_path');
      const offset = asNumber(dictGet(is, 'offset'));
      const length = asNumber(dictGet(is, 'length'));
      if (fqn?.kind === 'str' && file?.kind === 'str' && offset !== undefined && length !== undefined && !storage.has(fqn.value)) storage.set(fqn.value, { file: file.value, offset, length });
    }
  }
  const version = dictGet(st, 'version');
  return { tensors, objects, storage, version: version?.kind === 'str' ? version.value : undefined };
}
