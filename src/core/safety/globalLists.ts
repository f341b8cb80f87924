/**
 * Classification of one imported global (`module.name` from GLOBAL, STACK_GLOBAL or INST).
 *
 * Four classes. An exact name on the allowlist (2) or the reviewed list (3) is judged first (an
 * exact name is the real object, e.g. numpy's own `numpy.random._pickle` module); then:
 *
 * 1. `dangerous`: a name on the merged denylist, or one that reaches it. Sources, read at these
 *    commits (the lists are merged, never trimmed):
 *    - picklescan `src/picklescan/scanner.py` `_unsafe_globals`
 *      (github.com/mmaitre314/picklescan, commit f15d54da3dec9aa28a87ede82f87882bb80f1023);
 *    - modelscan `modelscan/settings.py` `unsafe_globals` CRITICAL and HIGH
 *      (github.com/protectai/modelscan, commit 8b8ed4bf78a863fcf3b664888dc7ff6ae22f5230);
 *    - fickling `fickling/fickle.py` `UNSAFE_IMPORTS` (whole modules, and every builtin outside
 *      `SAFE_BUILTINS`) and `fickling/analysis.py` `UnsafeImportsML`
 *      (github.com/trailofbits/fickling, commit 854c99acd2637f97162dd2e1aa2dab4e8d55d77d);
 *    - entry points named in ckptview issue 12 (numpy.load, numpy.distutils, pandas.read_pickle,
 *      mlflow model loaders, torch.compile, joblib/cloudpickle/dill loaders...).
 *    Pickle resolves a dotted name attribute by attribute (CPython `Lib/pickle.py`
 *    `_getattribute`), so `transformers.training_args.os.system` is `os.system`: every suffix of
 *    the dotted path is checked, and any path through a dunder attribute (`getattr.__self__`) is
 *    dangerous. An unresolvable name (STACK_GLOBAL of computed operands, EXT codes) is dangerous.
 * 2. `allowed`: on PyTorch's weights_only allowlist (`torch/_weights_only_unpickler.py`
 *    `_get_allowed_globals` and `_tensor_rebuild_functions`, torch >= 2.6; read at
 *    github.com/pytorch/pytorch commit 00f730b66e58769f9698d9236f58cd46c3794115), after torch's
 *    own Python 2 renames (`torch._utils` `IMPORT_MAPPING` / `NAME_MAPPING`: `__builtin__` is
 *    `builtins`, `copy_reg` is `copyreg`).
 * 3. `harmless`: on {@link REVIEWED}, a short list of exact names (never whole modules) whose
 *    unpickling was reviewed to run no code beyond building data: weights_only still rejects them.
 * 4. `unknown`: everything else. Unpickling an unknown class runs that class's code
 *    (`__reduce__` target, `__setstate__`, `__new__`), so it is treated as code.
 */

/** How one global is judged; `reason` is a sentence for the user. */
export interface GlobalVerdict {
  readonly verdict: 'allowed' | 'harmless' | 'unknown' | 'dangerous';
  readonly reason: string;
}

/**
 * Modules where every name is dangerous (and every submodule: `os` covers `os.path`). Union of
 * picklescan's `"*"` entries, modelscan's `"*"` entries, fickling's `UNSAFE_IMPORTS` and
 * `UnsafeImportsML.UNSAFE_MODULES`, and the additions.
 */
const DANGEROUS_MODULES = new Set([
  // picklescan / modelscan "*"
  'aiohttp', 'asyncio', 'bdb', 'commands', 'ctypes', 'httplib', 'numpy.f2py', 'numpy.testing._private.utils', 'nt', 'posix',
  'os', 'requests.api', 'runpy', 'shutil', 'socket', 'ssl', 'subprocess', 'sys', 'cProfile', 'distutils.file_util', 'pdb',
  'pickle', '_pickle', 'pip', 'pty', 'profile', 'pydoc', 'test', 'timeit', 'urllib.request', 'uuid', 'venv', 'webbrowser',
  '_osx_support', '_aix_support', '_pyrepl', 'aiohttp.client',
  // fickling UNSAFE_IMPORTS (whole modules; builtins handled by SAFE_BUILTIN_NAMES below)
  'multiprocessing', '_posixsubprocess', 'code', 'codeop', 'marshal', 'types', 'doctest', '_interpreters',
  '_xxsubinterpreters', 'importlib', '_frozen_importlib', '_frozen_importlib_external', '_imp', 'imp', 'pkgutil',
  'zipimport', 'gc', 'site', 'unittest', 'inspect', '_operator', 'operator', 'functools', 'trace', 'http', 'urllib',
  'urllib2', 'requests', 'smtplib', 'imaplib', 'ftplib', 'poplib', 'telnetlib', 'nntplib', '_ctypes', 'dill', 'cloudpickle',
  'joblib', 'tempfile', 'filecmp', 'distutils', 'pexpect', 'pipes', 'ensurepip', 'idlelib', 'lib2to3', 'socketserver',
  'xmlrpc', 'signal', '_signal', 'threading', '_thread', 'atexit', 'sqlite3', '_sqlite3', 'fileinput', 'glob', 'platform',
  'linecache', 'difflib', 'compileall', 'py_compile', 'mmap', 'select', 'selectors', 'logging', 'syslog', 'tarfile',
  'zipfile', 'shelve',
  // fickling UnsafeImportsML.UNSAFE_MODULES
  'torch.hub', 'torch._dynamo', 'torch._inductor', 'torch.jit', 'torch.compile', 'numpy.distutils',
  // issue 12 and earlier ckptview lists: loaders of further pickles or code, process and file access
  'torch.package', 'torch.utils.cpp_extension', 'torch.utils.collect_env', 'torch.utils.bottleneck',
  'torch.utils._config_module', 'numpy.testing', 'io', '_io', 'setuptools', 'mlflow', '_posixshmem', 'posixpath',
  'ntpath', 'genericpath', '_winapi', 'msvcrt', 'winreg', '_winreg', 'pickletools', 'pydoc_data', 'tkinter',
  'turtle', 'cgi', 'cgitb', 'wsgiref', 'smtpd', 'asynchat', 'asyncore', 'ftplib', 'xml.dom.pulldom', 'sched', 'code',
]);

/**
 * Exact dangerous names outside the dangerous modules (`module.name`, after Python 2 renames).
 * picklescan's and modelscan's per-name entries, fickling's `UnsafeImportsML.UNSAFE_IMPORTS`, and
 * further loaders of pickles or code (pandas, numpy, torch).
 */
const DANGEROUS_EXACT = new Set([
  'cloudpickle.cloudpickle._builtin_type', 'cloudpickle.cloudpickle._make_function', 'cloudpickle.cloudpickle._function_setstate',
  'cloudpickle.cloudpickle._make_cell', 'cloudpickle.cloudpickle._make_empty_cell', 'cloudpickle.cloudpickle.subimport',
  'types.CodeType', 'functools.partial', 'logging.FileHandler', '_io.FileIO', 'io.FileIO', 'io.open', '_io.open',
  '_operator.attrgetter', '_operator.itemgetter', '_operator.methodcaller', 'operator.attrgetter', 'operator.itemgetter',
  'operator.methodcaller', 'code.InteractiveInterpreter.runcode', 'doctest.debug_script', 'ensurepip._run_pip',
  'idlelib.autocomplete.AutoComplete.get_entity', 'idlelib.autocomplete.AutoComplete.fetch_completions',
  'idlelib.calltip.Calltip.fetch_tip', 'idlelib.calltip.get_entity', 'idlelib.debugobj.ObjectTreeItem.SetText',
  'idlelib.pyshell.ModifiedInterpreter.runcode', 'idlelib.pyshell.ModifiedInterpreter.runcommand', 'idlelib.run.Executive.runcode',
  'imaplib.IMAP4_stream', 'lib2to3.pgen2.grammar.Grammar.loads', 'lib2to3.pgen2.pgen.ParserGenerator.make_label',
  'pkgutil.resolve_name', 'pkgutil.get_importer', 'torch._dynamo.guards.GuardBuilder.get', 'torch._inductor.codecache.compile_file',
  'torch.fx.experimental.symbolic_shapes.ShapeEnv.evaluate_guards_expression', 'torch.jit.unsupported_tensor_ops.execWrapper',
  'torch.serialization.load', 'torch.utils._config_module.ConfigModule', 'torch.utils._config_module.ConfigModule.load_config',
  'torch.utils.bottleneck.__main__.run_cprofile', 'torch.utils.bottleneck.__main__.run_autograd_prof', 'torch.utils.collect_env.run',
  'torch.utils.data.datapipes.utils.decoder.basichandlers', 'torch.distributed.elastic.rendezvous.api.basichandlers',
  'trace.Trace.run', 'trace.Trace.runctx', 'torch.load', 'torch.compile', 'torch.storage._load_from_bytes', 'torch._C._jit_pass_inline',
  'torch.classes', 'torch.ops', 'torch._C._import_ir_module', 'torch.fx.graph_module.reduce_graph_module',
  'torch.fx.graph_module.reduce_package_graph_module', 'torch.fx.graph_module._forward_from_src', 'torch._ops.ops',
  'numpy.load', 'numpy.lib.npyio.load', 'numpy.lib._npyio_impl.load', 'numpy.loadtxt', 'numpy.fromfile', 'numpy.memmap',
  'numpy.ctypeslib.load_library', 'numpy.lib.format.read_array', 'numpy.core.numeric._frombuffer',
  'pandas.read_pickle', 'pandas.io.pickle.read_pickle', 'pandas.read_csv', 'pandas.eval', 'pandas.core.computation.eval.eval',
  'pandas.io.parsers.readers.read_csv', 'pandas.read_sql', 'pandas.read_hdf', 'pandas.read_parquet',
  'keras.models.load_model', 'tensorflow.keras.models.load_model', 'copyreg.__newobj__', 'copyreg.__newobj_ex__',
  'torch.distributed.rpc', 'torch.autograd.profiler.emit_itt', 'functools.reduce',
]);

/**
 * Builtins that only build data (fickling `SAFE_BUILTINS`, narrowed to constructors): every other
 * builtin (`eval`, `exec`, `compile`, `open`, `getattr`, `setattr`, `__import__`, `breakpoint`,
 * `apply`, `input`, `globals`, `vars`, `type`...) is dangerous.
 */
const SAFE_BUILTIN_NAMES = new Set([
  'bool', 'int', 'float', 'complex', 'str', 'bytes', 'bytearray', 'list', 'tuple', 'set', 'frozenset', 'dict', 'slice', 'range', 'object',
]);

/** Python 2 module names as pickle protocols 0-2 write them (torch `_utils` IMPORT_MAPPING, CPython `_compat_pickle`). */
const MODULE_RENAMES: ReadonlyMap<string, string> = new Map([
  ['__builtin__', 'builtins'],
  ['__builtins__', 'builtins'],
  ['copy_reg', 'copyreg'],
  ['cPickle', 'pickle'],
  ['_abcoll', 'collections.abc'],
  ['Queue', 'queue'],
  ['commands', 'subprocess'],
  ['urllib2', 'urllib.request'],
  ['httplib', 'http.client'],
]);

/** Canonical torch dtype names (`str(dtype)` without `torch.`), the keys torch puts on the allowlist. */
const TORCH_DTYPES = new Set([
  'float32', 'float64', 'float16', 'bfloat16', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool', 'complex32', 'complex64',
  'complex128', 'qint8', 'quint8', 'qint32', 'quint4x2', 'quint2x4', 'float8_e4m3fn', 'float8_e5m2', 'float8_e4m3fnuz',
  'float8_e5m2fnuz', 'float8_e8m0fnu', 'float4_e2m1fn_x2', 'bits1x8', 'bits2x4', 'bits4x2', 'bits8', 'bits16', 'uint16', 'uint32',
  'uint64', 'uint1', 'uint2', 'uint3', 'uint4', 'uint5', 'uint6', 'uint7', 'int1', 'int2', 'int3', 'int4', 'int5', 'int6', 'int7',
  'per_tensor_affine', 'per_tensor_symmetric', 'per_channel_affine', 'per_channel_symmetric', 'per_channel_affine_float_qparams',
]);

/** `_tensor_rebuild_functions` (torch >= 2.6). */
const TORCH_REBUILD = new Set([
  '_rebuild_parameter', '_rebuild_parameter_with_state', '_rebuild_qtensor', '_rebuild_tensor', '_rebuild_tensor_v2',
  '_rebuild_tensor_v3', '_rebuild_sparse_tensor', '_rebuild_meta_tensor_no_storage', '_rebuild_wrapper_subclass',
  '_rebuild_device_tensor_from_numpy', '_rebuild_device_tensor_from_cpu_tensor',
]);

/** Exact names of `_get_allowed_globals`' literal entries and `_rebuild_from_type_v2`. */
const ALLOWED_EXACT = new Set([
  'collections.OrderedDict', 'collections.Counter', 'torch.nn.parameter.Parameter', 'torch.serialization._get_layout', 'torch.Size',
  'torch.Tensor', 'torch.device', '_codecs.encode', 'builtins.bytearray', 'builtins.set', 'builtins.complex',
  'torch._tensor._rebuild_from_type_v2', 'torch.storage.TypedStorage', 'torch.storage.UntypedStorage', 'torch.UntypedStorage',
]);

/** Element types of `torch._tensor_classes` and the legacy `torch._storage_classes` (`torch.FloatTensor`, `torch.FloatStorage`...). */
const TENSOR_TYPE_PREFIXES = ['Double', 'Float', 'Half', 'BFloat16', 'Long', 'Int', 'Short', 'Char', 'Byte', 'Bool', 'ComplexDouble', 'ComplexFloat', 'QUInt8', 'QInt8', 'QInt32', 'QUInt4x2', 'QUInt2x4'];

/** One reviewed name: why unpickling it runs no code, and whether it is an enum class (see `getattr`). */
interface Reviewed {
  readonly why: string;
  readonly enumClass?: boolean;
}

const DATA = 'builds data only (constructor of a value type; its arguments are judged separately)';
const NUMPY = 'numpy value reconstruction: allocates a scalar, array or dtype from bytes and a dtype; runs no user code';
const DATACLASS = 'a configuration dataclass: rebuilt by object.__new__ and a plain __dict__ update (no __setstate__, no __post_init__)';
const ENUM = 'an enum class: calling it or reading a member looks a value up in its member table';

/**
 * Reviewed names whose unpickling runs no code beyond building data. Exact `module.name`s only,
 * never whole modules; each was checked against its library's source (pickling protocol of the
 * class: `__reduce__`, `__setstate__`, `__new__`). Anything not here and not on the weights_only
 * allowlist is `unknown`.
 */
export const REVIEWED: ReadonlyMap<string, Reviewed> = new Map<string, Reviewed>([
  ...[...SAFE_BUILTIN_NAMES].map((n): [string, Reviewed] => [`builtins.${n}`, { why: DATA }]),
  ['collections.defaultdict', { why: 'a dict subclass; its default factory is another global (judged on its own) and is not called while loading' }],
  ['collections.deque', { why: DATA }],
  ['copyreg._reconstructor', { why: 'calls base.__new__(cls) (and base.__init__ for builtin bases): cls and base are globals judged on their own' }],
  ['numpy.core.multiarray.scalar', { why: NUMPY }],
  ['numpy._core.multiarray.scalar', { why: NUMPY }],
  ['numpy.core.multiarray._reconstruct', { why: NUMPY }],
  ['numpy._core.multiarray._reconstruct', { why: NUMPY }],
  ['numpy.dtype', { why: NUMPY }],
  ['numpy.ndarray', { why: NUMPY }],
  ['numpy.random._pickle.__randomstate_ctor', { why: 'numpy RNG state: builds a RandomState for a bit generator named by a string' }],
  ['numpy.random._pickle.__bit_generator_ctor', { why: 'numpy RNG state: builds a bit generator named by a string' }],
  ['numpy.random._pickle.__generator_ctor', { why: 'numpy RNG state: builds a Generator for a bit generator named by a string' }],
  ['numpy.random.mtrand.RandomState', { why: 'numpy RNG state object' }],
  ['argparse.Namespace', { why: 'a plain attribute bag (object.__new__ and __dict__ update)' }],
  ['pathlib.PosixPath', { why: 'a path value built from strings; touches no file' }],
  ['pathlib.WindowsPath', { why: 'a path value built from strings; touches no file' }],
  ['pathlib.PurePosixPath', { why: 'a path value built from strings; touches no file' }],
  ['pathlib.PureWindowsPath', { why: 'a path value built from strings; touches no file' }],
  ['pathlib.Path', { why: 'a path value built from strings; touches no file' }],
  ['datetime.datetime', { why: DATA }],
  ['datetime.date', { why: DATA }],
  ['datetime.time', { why: DATA }],
  ['datetime.timedelta', { why: DATA }],
  ['datetime.timezone', { why: DATA }],
  ['decimal.Decimal', { why: DATA }],
  ['fractions.Fraction', { why: DATA }],
  ['torch.torch_version.TorchVersion', { why: 'a str subclass holding a version string' }],
  ['torch.strided', { why: 'a torch layout constant (no call)' }],
  ['torch.sparse_coo', { why: 'a torch layout constant (no call)' }],
  ['torch.contiguous_format', { why: 'a torch memory format constant (no call)' }],
  ['torch.channels_last', { why: 'a torch memory format constant (no call)' }],
  ['torch.channels_last_3d', { why: 'a torch memory format constant (no call)' }],
  ['torch.preserve_format', { why: 'a torch memory format constant (no call)' }],
  ['transformers.training_args.TrainingArguments', { why: DATACLASS }],
  ['transformers.training_args_seq2seq.Seq2SeqTrainingArguments', { why: DATACLASS }],
  ['transformers.training_args.OptimizerNames', { why: ENUM, enumClass: true }],
  ['transformers.trainer_utils.IntervalStrategy', { why: ENUM, enumClass: true }],
  ['transformers.trainer_utils.SaveStrategy', { why: ENUM, enumClass: true }],
  ['transformers.trainer_utils.HubStrategy', { why: ENUM, enumClass: true }],
  ['transformers.trainer_utils.SchedulerType', { why: ENUM, enumClass: true }],
  ['transformers.trainer_utils.FSDPOption', { why: ENUM, enumClass: true }],
  ['transformers.debug_utils.DebugOption', { why: ENUM, enumClass: true }],
  ['transformers.utils.generic.PaddingStrategy', { why: ENUM, enumClass: true }],
  ['accelerate.utils.dataclasses.DistributedType', { why: ENUM, enumClass: true }],
  ['lightning.fabric.utilities.data.AttributeDict', { why: 'a dict subclass with attribute access; filled by SETITEMS' }],
  ['pytorch_lightning.utilities.parsing.AttributeDict', { why: 'a dict subclass with attribute access; filled by SETITEMS' }],
  ['lightning.pytorch.utilities.parsing.AttributeDict', { why: 'a dict subclass with attribute access; filled by SETITEMS' }],
  ['torch.optim.lr_scheduler.LambdaLR', { why: 'state of a scheduler object, restored as attributes' }],
]);

/** Python 2 renames applied, as torch's weights_only unpickler does before its allowlist lookup. */
export function canonicalModule(module: string): string {
  return MODULE_RENAMES.get(module) ?? module;
}

/** The denylist entry a dotted path reaches, by every suffix (`a.b.os.system` reaches `os`). */
function denylisted(segments: readonly string[]): string | undefined {
  for (let i = 0; i < segments.length; i++) {
    // the name as written and after the Python 2 rename (`httplib` is `http.client`)
    for (const first of new Set([segments[i], canonicalModule(segments[i])])) {
      const rest = [...first.split('.'), ...segments.slice(i + 1)];
      for (let j = 1; j <= rest.length; j++) {
        const prefix = rest.slice(0, j).join('.');
        if (DANGEROUS_MODULES.has(prefix)) return prefix;
        if (DANGEROUS_EXACT.has(prefix)) return prefix;
      }
      if (rest[0] === 'builtins' && rest.length >= 2 && !SAFE_BUILTIN_NAMES.has(rest[1])) return `builtins.${rest[1]}`;
    }
  }
  return undefined;
}

/** True when `module.name` is on torch's weights_only allowlist (after renames). */
export function onWeightsOnlyAllowlist(module: string, name: string): boolean {
  const q = `${canonicalModule(module)}.${name}`;
  if (ALLOWED_EXACT.has(q)) return true;
  const m = canonicalModule(module);
  if (m === 'torch._utils' && TORCH_REBUILD.has(name)) return true;
  if (m === 'torch' && TORCH_DTYPES.has(name)) return true;
  if (m === 'torch' || m === 'torch.cuda' || m === 'torch.sparse' || m === 'torch.cuda.sparse') {
    for (const p of TENSOR_TYPE_PREFIXES) {
      if (name === `${p}Tensor`) return true;
      if (m === 'torch' && name === `${p}Storage`) return true;
    }
  }
  return false;
}

/** The reviewed entry of `module.name`, if any (after renames). */
export function reviewedGlobal(module: string, name: string): Reviewed | undefined {
  return REVIEWED.get(`${canonicalModule(module)}.${name}`);
}

/**
 * Classify `module.name`. `resolved=false` (STACK_GLOBAL operands that are not literal strings,
 * or an EXT code) is dangerous: the name cannot be known without running the pickle.
 * Pure function; never throws.
 */
export function classifyGlobal(module: string, name: string, resolved = true): GlobalVerdict {
  if (!resolved) return { verdict: 'dangerous', reason: 'the imported name cannot be resolved without running the pickle' };
  const key = `${module}\n${name}`;
  let v = CACHE.get(key);
  if (!v) {
    v = classifyResolved(module, name);
    if (CACHE.size >= 100_000) CACHE.clear();
    CACHE.set(key, v);
  }
  return v;
}

/** Verdicts by `module\nname` (a hostile pickle may import one name 100,000 times). */
const CACHE = new Map<string, GlobalVerdict>();

function classifyResolved(module: string, name: string): GlobalVerdict {
  const segments = [...module.split('.'), ...name.split('.')];
  if (name.split('.').some((p) => p.startsWith('__') && p.endsWith('__')) && name.includes('.')) {
    return { verdict: 'dangerous', reason: `the dotted name ${name} walks through a special attribute, which reaches any object` };
  }
  // exact reviewed names first: `numpy.random._pickle.x` is numpy's own module, not `_pickle`
  if (onWeightsOnlyAllowlist(module, name)) return { verdict: 'allowed', reason: 'on torch.load(weights_only=True)\'s allowlist' };
  const reviewed = reviewedGlobal(module, name);
  if (reviewed) return { verdict: 'harmless', reason: `${reviewed.why}; torch.load(weights_only=True) rejects it unless added with torch.serialization.add_safe_globals` };
  const hit = denylisted(segments);
  if (hit) {
    const via = hit === `${canonicalModule(module)}.${name}` || `${canonicalModule(module)}.${name}`.startsWith(`${hit}.`) ? '' : ` (reached through ${module}.${name})`;
    return { verdict: 'dangerous', reason: `${hit} can run code, start processes, or touch files or the network${via}` };
  }
  return { verdict: 'unknown', reason: 'not a name this viewer has reviewed: loading it runs that class\'s or function\'s own code, so treat the file as code' };
}
