/**
 * Classification of imported globals.
 *
 * - allowed: what PyTorch's weights_only unpickler accepts by default (PyTorch
 *   `torch/_weights_only_unpickler.py`, `_get_allowed_globals` and `_tensor_rebuild_functions`,
 *   2.6 and later);
 * - harmless: known data-only classes that torch.load(weights_only=True) nevertheless rejects
 *   (numpy scalars and arrays, Hugging Face TrainingArguments and enums, Lightning AttributeDict...);
 * - dangerous: the denylists of picklescan (`scanner.py` `_unsafe_globals`) and modelscan
 *   (`settings.py` unsafe_globals), plus anything that reaches code execution. A module entry
 *   (`os`) covers its submodules (`os.path`).
 */

/** Exact names allowed by weights_only (module.name). */
const ALLOWED_EXACT = new Set([
  'collections.OrderedDict',
  'collections.Counter',
  'torch.nn.parameter.Parameter',
  'torch.serialization._get_layout',
  'torch.Size',
  'torch.Tensor',
  'torch.device',
  'torch._tensor._rebuild_from_type_v2',
  '_codecs.encode',
  'builtins.bytearray',
  'builtins.set',
  'builtins.frozenset',
  'builtins.complex',
  'builtins.slice',
  'builtins.range',
  '__builtin__.set',
  '__builtin__.frozenset',
  'torch.distributed._shard.sharded_tensor.ShardedTensor',
]);

/** torch._utils rebuild functions allowed by weights_only. */
const ALLOWED_TORCH_UTILS = new Set([
  '_rebuild_tensor',
  '_rebuild_tensor_v2',
  '_rebuild_tensor_v3',
  '_rebuild_parameter',
  '_rebuild_parameter_with_state',
  '_rebuild_sparse_tensor',
  '_rebuild_meta_tensor_no_storage',
  '_rebuild_nested_tensor',
  '_rebuild_qtensor',
  '_rebuild_device_tensor_from_numpy',
  '_rebuild_wrapper_subclass',
  '_rebuild_device_tensor_from_cpu_tensor',
]);

const TORCH_DTYPES = new Set([
  'float32', 'float', 'float64', 'double', 'float16', 'half', 'bfloat16', 'int64', 'long', 'int32', 'int', 'int16', 'short',
  'int8', 'uint8', 'bool', 'complex64', 'complex128', 'cfloat', 'cdouble', 'qint8', 'quint8', 'qint32', 'quint4x2',
  'float8_e4m3fn', 'float8_e5m2', 'uint16', 'uint32', 'uint64', 'complex32', 'chalf',
  'strided', 'sparse_coo', 'sparse_csr', 'sparse_csc', 'sparse_bsr', 'sparse_bsc', '_mkldnn',
  'contiguous_format', 'channels_last', 'channels_last_3d', 'preserve_format', 'per_tensor_affine', 'per_channel_affine',
]);

/** Known-harmless data globals (weights_only still rejects them). */
const HARMLESS_EXACT = new Set([
  'numpy.core.multiarray.scalar',
  'numpy._core.multiarray.scalar',
  'numpy.core.multiarray._reconstruct',
  'numpy._core.multiarray._reconstruct',
  'numpy.dtype',
  'numpy.ndarray',
  'numpy.random._pickle.__randomstate_ctor',
  'numpy.random._pickle.__bit_generator_ctor',
  'numpy.random._pickle.__generator_ctor',
  'numpy.random.mtrand.RandomState',
  'argparse.Namespace',
  'collections.defaultdict',
  'collections.deque',
  'builtins.dict',
  'builtins.list',
  'builtins.tuple',
  'builtins.int',
  'builtins.float',
  'builtins.object',
  'copy_reg._reconstructor',
  'copyreg._reconstructor',
  'pathlib.PosixPath',
  'pathlib.WindowsPath',
  'pathlib.Path',
  'datetime.datetime',
  'datetime.date',
  'datetime.timedelta',
  'datetime.timezone',
  'decimal.Decimal',
  'fractions.Fraction',
  'uuid.UUID',
  'torch.optim.lr_scheduler.LambdaLR',
  'torch.torch_version.TorchVersion',
  'functools._lru_cache_wrapper',
]);

/** Module prefixes whose classes are data containers in training checkpoints (HF, Lightning, accelerate). */
const HARMLESS_MODULE_PREFIXES = [
  'transformers.training_args',
  'transformers.trainer_utils',
  'transformers.utils',
  'transformers.integrations',
  'transformers.debug_utils',
  'accelerate.utils',
  'lightning.fabric.utilities.data',
  'pytorch_lightning.utilities.parsing',
  'lightning.pytorch.utilities.parsing',
  'omegaconf',
  'enum',
  'typing',
];

/** Whole modules (and their submodules) that are dangerous whatever name is taken from them. */
const DANGEROUS_MODULES = [
  'os', 'posix', 'nt', 'subprocess', 'sys', 'socket', 'shutil', 'runpy', 'pty', 'pickle', '_pickle', 'cPickle',
  'dill', 'webbrowser', 'importlib', 'commands', 'code', 'codeop', 'bdb', 'pdb', 'ctypes', 'multiprocessing',
  'asyncio', 'http', 'httplib', 'urllib', 'urllib2', 'requests', 'aiohttp', 'ftplib', 'smtplib', 'telnetlib', 'ssl',
  '_posixsubprocess', 'signal', 'marshal', 'timeit', 'cProfile', 'profile', 'trace', 'tempfile', 'glob', 'io', '_io',
  'zipimport', 'builtins.__import__', 'sqlite3', 'pydoc', 'venv', 'ensurepip', 'distutils', 'setuptools', 'pip',
  'torch.hub', 'torch.jit', 'torch._dynamo', 'torch._inductor', 'torch.package', 'torch.utils.cpp_extension',
  'numpy.testing', 'numpy.f2py', 'joblib', 'cloudpickle', 'shelve', 'tarfile', 'zipfile',
];

/** Exact dangerous names outside the dangerous modules. */
const DANGEROUS_EXACT = new Set([
  'builtins.eval', 'builtins.exec', 'builtins.compile', 'builtins.open', 'builtins.getattr', 'builtins.setattr',
  'builtins.delattr', 'builtins.__import__', 'builtins.breakpoint', 'builtins.input', 'builtins.globals',
  'builtins.locals', 'builtins.vars', 'builtins.help', 'builtins.execfile', 'builtins.apply', 'builtins.memoryview',
  '__builtin__.eval', '__builtin__.exec', '__builtin__.compile', '__builtin__.open', '__builtin__.getattr',
  '__builtin__.setattr', '__builtin__.__import__', '__builtin__.execfile', '__builtin__.apply', '__builtin__.input',
  'operator.attrgetter', 'operator.itemgetter', 'operator.methodcaller', 'operator.getitem', 'operator.setitem',
  'functools.partial', 'functools.reduce', 'pkgutil.resolve_name', 'pkgutil.get_importer', 'types.FunctionType',
  'types.CodeType', 'types.LambdaType', 'types.MethodType', 'torch.load', 'torch.storage._load_from_bytes',
  'torch.serialization.load', 'torch._C._jit_pass_inline', 'torch.classes', 'torch.ops', 'copyreg.__newobj__',
]);

/** Verdict of one global. */
export interface GlobalVerdict {
  readonly verdict: 'allowed' | 'harmless' | 'unknown' | 'dangerous';
  readonly reason: string;
}

function inModule(module: string, list: readonly string[]): string | undefined {
  return list.find((m) => module === m || module.startsWith(`${m}.`));
}

/**
 * Classify `module.name`. `resolved=false` (STACK_GLOBAL operands that are not literal strings,
 * or an EXT code) is dangerous: the name cannot be known without running the pickle.
 */
export function classifyGlobal(module: string, name: string, resolved = true): GlobalVerdict {
  const q = `${module}.${name}`;
  if (!resolved) return { verdict: 'dangerous', reason: 'the imported name cannot be resolved without running the pickle' };
  if (DANGEROUS_EXACT.has(q)) return { verdict: 'dangerous', reason: `${q} can run code or reach arbitrary attributes` };
  const mod = inModule(module, DANGEROUS_MODULES) ?? inModule(q, DANGEROUS_MODULES);
  if (mod) return { verdict: 'dangerous', reason: `the ${mod} module can run commands, touch files or the network` };
  if (name.includes('.') && (name.split('.').some((p) => p.startsWith('__')) || DANGEROUS_EXACT.has(`builtins.${name.split('.').pop()}`))) {
    return { verdict: 'dangerous', reason: `dotted name ${name} reaches into attributes` };
  }
  if (ALLOWED_EXACT.has(q)) return { verdict: 'allowed', reason: 'allowed by torch.load(weights_only=True)' };
  if (module === 'torch._utils' && ALLOWED_TORCH_UTILS.has(name)) return { verdict: 'allowed', reason: 'tensor rebuild function allowed by weights_only' };
  if (module === 'torch' && (name.endsWith('Storage') || TORCH_DTYPES.has(name))) return { verdict: 'allowed', reason: 'torch storage type or dtype allowed by weights_only' };
  if (HARMLESS_EXACT.has(q)) return { verdict: 'harmless', reason: 'a data class; torch.load(weights_only=True) rejects it unless added with torch.serialization.add_safe_globals' };
  if (inModule(module, HARMLESS_MODULE_PREFIXES)) return { verdict: 'harmless', reason: 'a configuration or data class of a training library; weights_only rejects it' };
  return { verdict: 'unknown', reason: 'not known to this viewer: weights_only rejects it, and loading it runs that class\'s code' };
}
