/**
 * Open a torch.save file from a {@link ByteSource} without reading tensor bytes.
 *
 * Zip format (PyTorch torch/serialization.py `_load`, caffe2/serialize/inline_container.cc): the
 * top folder is whatever the first record's folder is (`archive/`, the file stem, or anything);
 * the object is `<top>/data.pkl`, storages are `<top>/data/<key>`.
 * Legacy format (`_legacy_load`): pickles of the magic number 0x1950a86a20f9469cfc6c, the protocol
 * version, sys_info, the object, and the list of storage keys; then each storage as an int64
 * element count followed by its raw bytes.
 */
import type { ByteSource } from '../bytes/byteSource';
import { CheckpointFormatError } from '../errors';
import { runPickle, type PickleHooks, type PickleLimits, type PickleResult } from '../pickle/machine';
import { pythonHooks } from '../pickle/knownCallables';
import type { GlobalRef, PyValue, Span, StorageRef } from '../pickle/values';
import { crc32 } from '../zip/crc32';
import { readEntry, readLocalHeader, readZipIndex } from '../zip/zipReader';
import type { ZipIndex } from '../zip/zipTypes';
import { rejectNonCheckpoint, sniff } from './sniff';
import type { LocatedPickle, TorchFile } from './torchFile';
import { torchHooks, type TorchHookObservers } from './torchCallables';

/** The legacy format's magic number (torch/serialization.py MAGIC_NUMBER). */
export const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;

/** Options for {@link loadTorchFile}. */
export interface LoadOptions {
  limits?: Partial<PickleLimits>;
  /** Largest data.pkl (zip) or head of pickles (legacy) read into memory, in bytes (default 256 MiB). */
  maxPickleBytes?: number;
}

/**
 * Parse a torch.save file's structure and object pickle.
 *
 * Reads: for zip, the tail (<= 64 KiB), the central directory, data.pkl and the tiny `version`
 * record; for legacy, the head of the file up to the end of the storage-keys pickle.
 * @throws CheckpointFormatError with a user-facing cause (empty, HTML page, LFS pointer,
 *         truncated, CRC mismatch, bad pickle, unsupported protocol, limits).
 */
export async function loadTorchFile(src: ByteSource, options: LoadOptions = {}): Promise<TorchFile> {
  const head = await src.read(0, 512);
  const kind = sniff(head, src.size);
  if (kind === 'zip') return loadZip(src, options);
  if (kind === 'pickle') return loadPickleStream(src, options);
  return rejectNonCheckpoint(kind, src.name);
}

/** Callables whose bytes argument is itself a pickle that would be loaded (and so must be scanned). */
const NESTED_LOADERS = new Set(['pickle.loads', '_pickle.loads', 'cPickle.loads', 'dill.loads', 'cloudpickle.loads', 'torch.load', 'torch.serialization.load', 'torch.storage._load_from_bytes', 'pickle._loads']);
/** Nesting depth of pickles inside pickles that is still scanned. */
const MAX_NESTING = 3;
/**
 * Nested pickles scanned per file, all depths together. The loader call that carries them is
 * itself flagged dangerous, so the cap hides nothing; without it, one bytes value passed to
 * pickle.loads 100,000 times (through the memo) would be parsed 100,000 times, at each depth.
 */
export const MAX_NESTED_PICKLES = 64;

/** Collects pickles passed as bytes to loader callables, and persistent ids torch cannot resolve. */
class ParseObservers {
  readonly nestedCalls: { callee: GlobalRef; bytes: Uint8Array; span: Span }[] = [];
  readonly unresolved: PyValue[] = [];
  observers(): TorchHookObservers {
    return {
      unresolved: this.unresolved,
      onCall: (callee, args, span) => {
        const a = args[0];
        if (NESTED_LOADERS.has(`${callee.module}.${callee.name}`) && a && a.kind === 'bytes') this.nestedCalls.push({ callee, bytes: a.value, span });
      },
    };
  }
}

/**
 * Parse the pickles found in bytes arguments (recursively, bounded), for the safety scan only.
 * The same bytes object passed again (a memo reference) is parsed once; at most
 * {@link MAX_NESTED_PICKLES} are parsed per file.
 */
function nestedPickles(
  obs: ParseObservers,
  parent: LocatedPickle,
  file: string,
  options: LoadOptions,
  depth = 1,
  budget: { left: number; seen: Set<Uint8Array> } = { left: MAX_NESTED_PICKLES, seen: new Set() },
): LocatedPickle[] {
  if (depth > MAX_NESTING) return [];
  const out: LocatedPickle[] = [];
  for (const call of obs.nestedCalls) {
    if (budget.seen.has(call.bytes)) continue;
    if (budget.left <= 0) break;
    budget.left--;
    budget.seen.add(call.bytes);
    const inner = new ParseObservers();
    const hooks: PickleHooks = { ...pythonHooks, onCall: inner.observers().onCall };
    try {
      const result = runPickle(call.bytes, { file, member: parent.member, hooks, limits: options.limits });
      const located: LocatedPickle = {
        label: `pickle inside the bytes given to ${call.callee.module}.${call.callee.name}`,
        member: parent.member,
        fileOffset: parent.fileOffset,
        nestedIn: { label: parent.label, offset: call.span.offset },
        result,
      };
      out.push(located, ...nestedPickles(inner, located, file, options, depth + 1, budget));
    } catch {
      /* bytes that are not a pickle: nothing to scan */
    }
  }
  return out;
}

/** Integrity problem for tensor references that are not storage tuples. */
function unresolvedProblem(obs: ParseObservers, file: string, member?: string): CheckpointFormatError[] {
  if (obs.unresolved.length === 0) return [];
  const textual = obs.unresolved.some((v) => v.kind === 'persistent' && v.pid.kind === 'str');
  return [
    new CheckpointFormatError(
      'bad-pickle',
      file,
      textual
        ? `${obs.unresolved.length} tensor references are stored as text (pickle protocol 0), which torch.load itself cannot read back; the other fields are shown.`
        : `${obs.unresolved.length} persistent ids are not torch storage records; torch.load would fail on them.`,
      { member },
    ),
  ];
}

async function loadZip(src: ByteSource, options: LoadOptions): Promise<TorchFile> {
  const index = await readZipIndex(src);
  if (index.entries.length === 0) {
    throw new CheckpointFormatError('missing-record', src.name, 'the zip archive is empty: it holds no data.pkl, so it is not a torch.save checkpoint.');
  }
  const first = index.entries[0].name;
  const slash = first.indexOf('/');
  const prefix = slash >= 0 ? first.slice(0, slash + 1) : '';
  const byName = new Map(index.entries.map((e) => [e.name, e]));
  const dataPkl = byName.get(`${prefix}data.pkl`) ?? index.entries.find((e) => e.name.endsWith('/data.pkl') || e.name === 'data.pkl');
  if (!dataPkl) {
    throw new CheckpointFormatError('missing-record', src.name, `this zip archive has no data.pkl record, so it is not a torch.save checkpoint (first entry: ${first}).`);
  }
  const top = dataPkl.name.slice(0, dataPkl.name.length - 'data.pkl'.length);
  const anomalies = [...index.anomalies];
  const maxPickle = options.maxPickleBytes ?? 256 * 1024 * 1024;
  if (dataPkl.uncompressedSize > maxPickle) {
    throw new CheckpointFormatError('limit-exceeded', src.name, `data.pkl is ${dataPkl.uncompressedSize} bytes, more than the ${maxPickle} this viewer reads.`, { member: dataPkl.name });
  }
  const local = await readLocalHeader(src, dataPkl);
  if (local.name !== dataPkl.name) anomalies.push(`the local header names ${JSON.stringify(local.name)} but the central directory names ${JSON.stringify(dataPkl.name)}`);
  // CRC is checked here rather than in readEntry: a mismatch with a readable pickle is shown with
  // a warning (torch.load up to 2.x reads such files without complaint), never silently.
  const bytes = await readEntry(src, dataPkl, { maxUncompressed: maxPickle, verifyCrc: false });
  const crcOk = crc32(bytes) === dataPkl.crc32;
  const crcMessage = `${dataPkl.name} is corrupt: its CRC-32 does not match the one recorded in the archive (a bit flip or a damaged copy)`;
  const storages = new Map<string, StorageRef>();
  const obs = new ParseObservers();
  let result: PickleResult;
  try {
    result = runPickle(bytes, { file: src.name, member: dataPkl.name, hooks: torchHooks(storages, obs.observers()), limits: options.limits });
  } catch (e) {
    if (!crcOk && e instanceof CheckpointFormatError) {
      throw new CheckpointFormatError('crc-mismatch', src.name, `${crcMessage}, and its pickle cannot be read: ${e.message}`, { offset: e.offset, member: dataPkl.name });
    }
    throw e;
  }
  const integrity: CheckpointFormatError[] = [];
  if (!crcOk) integrity.push(new CheckpointFormatError('crc-mismatch', src.name, `${crcMessage}. The pickle still parses, so the values are shown, but they may be wrong; this file is not repaired.`, { offset: local.dataOffset, member: dataPkl.name }));
  integrity.push(...unresolvedProblem(obs, src.name, dataPkl.name));
  const main: LocatedPickle = { label: 'data.pkl', member: dataPkl.name, fileOffset: local.dataOffset, result };
  const pickles = [main, ...trailingPickles(bytes, result, src.name, dataPkl.name, local.dataOffset, anomalies, options), ...nestedPickles(obs, main, src.name, options)];
  const version = await smallText(src, index, `${top}version`) ?? await smallText(src, index, `${top}.data/version`);
  const byteorder = await smallText(src, index, `${top}byteorder`);
  if (byteorder === 'big') anomalies.push('the archive was written on a big-endian machine (byteorder = big)');
  return {
    file: src.name,
    format: 'zip',
    value: result.value,
    main,
    pickles,
    mainBytes: bytes,
    storages,
    zip: { index, prefix: top, dataPkl, dataPklOffset: local.dataOffset, version, byteorder },
    anomalies,
    integrity,
  };
}

/** Extra pickles after STOP inside data.pkl: torch ignores them, a scanner must not. */
function trailingPickles(
  bytes: Uint8Array,
  main: PickleResult,
  file: string,
  member: string | undefined,
  fileOffset: number,
  anomalies: string[],
  options: LoadOptions,
): LocatedPickle[] {
  if (main.end >= bytes.length) return [];
  anomalies.push(`${bytes.length - main.end} bytes follow the pickle's STOP opcode${member ? ` in ${member}` : ''} (a second pickle after STOP?)`);
  try {
    const extra = runPickle(bytes, { file, member, start: main.end, hooks: torchHooks(new Map()), limits: options.limits });
    return [{ label: 'trailing pickle', member, fileOffset, result: extra }];
  } catch {
    return [];
  }
}

async function smallText(src: ByteSource, index: ZipIndex, name: string): Promise<string | undefined> {
  const e = index.entries.find((x) => x.name === name);
  if (!e || e.uncompressedSize > 4096) return undefined;
  try {
    return new TextDecoder().decode(await readEntry(src, e)).trim();
  } catch {
    return undefined;
  }
}

/**
 * Legacy torch.save stream, or a bare pickle. Pickles are parsed from a head window that doubles
 * until the pickles fit (the storages that follow are never read).
 */
async function loadPickleStream(src: ByteSource, options: LoadOptions): Promise<TorchFile> {
  const maxPickle = options.maxPickleBytes ?? 256 * 1024 * 1024;
  let window = Math.min(src.size, 64 * 1024, maxPickle);
  for (;;) {
    const bytes = await src.read(0, window);
    try {
      return parseLegacy(bytes, src, options);
    } catch (e) {
      if (e instanceof CheckpointFormatError && e.code === 'truncated' && window < src.size) {
        if (window >= maxPickle) {
          // A length field that claims more than the file's head holds (corrupt, or hostile):
          // never read a multi-gigabyte file whole to find out.
          throw new CheckpointFormatError('limit-exceeded', src.name, `the pickles at the start of this file do not end within its first ${maxPickle} bytes (a damaged length field?), more than this viewer reads: ${e.message}`, { offset: e.offset });
        }
        window = Math.min(src.size, window * 4, maxPickle);
        continue;
      }
      throw e;
    }
  }
}

function parseLegacy(bytes: Uint8Array, src: ByteSource, options: LoadOptions): TorchFile {
  const file = src.name;
  const storages = new Map<string, StorageRef>();
  const obs = new ParseObservers();
  const hooks = torchHooks(storages, obs.observers());
  const run = (start: number, label: string): LocatedPickle => ({
    label,
    fileOffset: 0,
    result: runPickle(bytes, { file, start, hooks, limits: options.limits }),
  });
  const magic = run(0, 'magic number');
  const mv = magic.result.value;
  const isMagic = mv.kind === 'int' && BigInt(mv.value) === LEGACY_MAGIC;
  const anomalies: string[] = [];
  if (!isMagic && mv.kind === 'object' && magic.result.end < bytes.length) {
    // A legacy file whose magic number is computed by a call: torch.load runs that call first.
    try {
      const legacy = parseLegacyAfterMagic(bytes, magic, run, file, storages, obs, options);
      legacy.anomalies.push('the legacy magic number is not a literal but the result of a call: torch.load would run that call before anything else');
      return legacy;
    } catch (e) {
      if (e instanceof CheckpointFormatError && e.code === 'truncated' && bytes.length < src.size) throw e;
      /* not a legacy stream after all: treat as a bare pickle below */
    }
  }
  if (!isMagic) {
    // A bare pickle (not torch.save).
    const pickles: LocatedPickle[] = [{ ...magic, label: 'pickle' }];
    if (magic.result.end < bytes.length) {
      anomalies.push(`${src.size - magic.result.end} bytes follow the first pickle's STOP opcode`);
      try {
        pickles.push(run(magic.result.end, 'trailing pickle'));
      } catch {
        /* not a pickle: data, ignored */
      }
    }
    pickles.push(...nestedPickles(obs, pickles[0], file, options));
    return { file, format: 'pickle', value: mv, main: pickles[0], pickles, mainBytes: bytes, storages, anomalies, integrity: unresolvedProblem(obs, file) };
  }
  return parseLegacyAfterMagic(bytes, magic, run, file, storages, obs, options);
}

/** The rest of a legacy stream after its magic-number pickle. */
function parseLegacyAfterMagic(
  bytes: Uint8Array,
  magic: LocatedPickle,
  run: (start: number, label: string) => LocatedPickle,
  file: string,
  storages: Map<string, StorageRef>,
  obs: ParseObservers,
  options: LoadOptions,
): TorchFile {
  const protocol = run(magic.result.end, 'protocol version');
  const sysInfo = run(protocol.result.end, 'sys_info');
  const main = run(sysInfo.result.end, 'object');
  const keys = run(main.result.end, 'storage keys');
  const keyList = keys.result.value;
  const storageKeys = keyList.kind === 'list' ? keyList.items.flatMap((k) => (k.kind === 'str' ? [k.value] : [])) : [];
  const pv = protocol.result.value;
  if (pv.kind !== 'int' || keys.result.value.kind !== 'list') {
    throw new CheckpointFormatError('bad-pickle', file, 'this is not a legacy torch.save stream: the protocol version or the storage keys are missing.');
  }
  return {
    file,
    format: 'legacy',
    value: main.result.value,
    main,
    pickles: [magic, protocol, sysInfo, main, keys, ...nestedPickles(obs, main, file, options)],
    mainBytes: bytes,
    storages,
    legacy: {
      protocolVersion: pv.kind === 'int' ? Number(pv.value) : undefined,
      sysInfo: sysInfo.result.value as PyValue,
      storageKeys,
      storagesOffset: keys.result.end,
    },
    anomalies: [],
    integrity: unresolvedProblem(obs, file),
  };
}
