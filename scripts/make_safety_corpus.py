#!/usr/bin/env python3
"""Write fixtures/safety_corpus/: malicious and benign pickles, torch.save-style archives and
pre-0.4 tar archives, each with the verdict ckptview must give it (expected.json).

Standard library only. Every file is written as raw bytes, opcode by opcode (pickletools opcode
table, CPython Lib/pickletools.py); nothing is ever unpickled or imported from the names written.

Techniques covered (ckptview issue 12), each case naming its source:
- the anchors' denylists and tests: picklescan (github.com/mmaitre314/picklescan
  src/picklescan/scanner.py `_unsafe_globals`, commit f15d54da3dec9aa28a87ede82f87882bb80f1023, and
  its tests' malicious*.pkl shapes), modelscan (github.com/protectai/modelscan modelscan/settings.py
  `unsafe_globals`, commit 8b8ed4bf78a863fcf3b664888dc7ff6ae22f5230), fickling
  (github.com/trailofbits/fickling fickling/fickle.py `UNSAFE_IMPORTS`, fickling/analysis.py
  `UnsafeImportsML`, commit 854c99acd2637f97162dd2e1aa2dab4e8d55d77d): one GLOBAL + REDUCE per
  listed entry;
- names not on any denylist (unknown classes, typing._eval_type): "unknown, treat as code";
- dotted names through any module (transformers.training_args.os.system), dunder paths;
- getattr on anything but a member of a known enum class, and an enum member's result called;
- zip members looked up as torch does (case-insensitive, first of duplicates);
- the pre-0.4 tar format (torch tries it first), the legacy stream;
- FRAME divergence (a string that runs past its FRAME, gh-154848);
- pickles starting with any opcode (a string, FRAME, an empty tuple);
- globals seen before a parse error (bad opcode, missing memo key, truncation);
- nested pickles given to pickle.loads / torch.load / numpy.load.

Run: python3 scripts/make_safety_corpus.py  (rewrites the folder; deterministic output)
"""
import io
import json
import os
import shutil
import struct
import tarfile
import zipfile

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'safety_corpus')

PICKLESCAN = 'picklescan src/picklescan/scanner.py _unsafe_globals @ f15d54da3dec9aa28a87ede82f87882bb80f1023'
MODELSCAN = 'modelscan modelscan/settings.py unsafe_globals @ 8b8ed4bf78a863fcf3b664888dc7ff6ae22f5230'
FICKLING = 'fickling fickling/fickle.py UNSAFE_IMPORTS, fickling/analysis.py UnsafeImportsML @ 854c99acd2637f97162dd2e1aa2dab4e8d55d77d'
ISSUE = 'ckptview issue 12'

# ---- opcode helpers (protocol 2 unless stated) ----
PROTO2 = b'\x80\x02'
STOP = b'.'


def glob(module, name):
    """GLOBAL opcode: 'c' module '\\n' name '\\n'."""
    return b'c' + module.encode() + b'\n' + name.encode() + b'\n'


def ustr(text):
    """BINUNICODE: 'X' + 4-byte little-endian length + UTF-8."""
    b = text.encode()
    return b'X' + struct.pack('<I', len(b)) + b


def short_ustr(text):
    """SHORT_BINUNICODE (protocol 4): 0x8c + 1-byte length + UTF-8."""
    b = text.encode()
    return b'\x8c' + bytes([len(b)]) + b


def binbytes(data):
    """BINBYTES (protocol 3): 'B' + 4-byte length + bytes."""
    return b'B' + struct.pack('<I', len(data)) + data


def call(callee, *args):
    """callee (already on the stack as opcodes) applied to args with MARK ... TUPLE REDUCE."""
    return callee + b'(' + b''.join(args) + b'tR'


def dict_with(key, value_ops):
    """A one-entry dict {key: value} (EMPTY_DICT, key, value, SETITEM)."""
    return b'}' + ustr(key) + value_ops + b's'


def reduce_pickle(module, name, arg='echo pwned'):
    """The classic payload: module.name('echo pwned') as the root value."""
    return PROTO2 + call(glob(module, name), ustr(arg)) + STOP


LEGACY_MAGIC = PROTO2 + b'\x8a\x0a' + (0x1950A86A20F9469CFC6C).to_bytes(10, 'little') + STOP
LEGACY_PROTOCOL = PROTO2 + b'M' + struct.pack('<H', 1001) + STOP
LEGACY_SYSINFO = PROTO2 + b'}' + ustr('protocol_version') + b'M' + struct.pack('<H', 1001) + b's' + STOP
LEGACY_KEYS = PROTO2 + b']' + STOP
BENIGN_STATE = PROTO2 + b'}' + ustr('epoch') + b'K\x02' + b's' + STOP


def torch_zip(entries):
    """A torch.save-like zip (stored entries) from (name, bytes) pairs in the given order."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_STORED) as z:
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')  # duplicate names are the point of some cases
            for name, data in entries:
                info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
                z.writestr(info, data)
    return buf.getvalue()


def torch_zip_with(data_pkl, extra=()):
    return torch_zip([('archive/data.pkl', data_pkl), *extra, ('archive/version', b'3\n')])


def tar_archive(members):
    """A pre-0.4 torch.save tar (PAX format as torch wrote it) from (name, bytes) pairs."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w', format=tarfile.PAX_FORMAT) as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1_700_000_000
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


CASES = {}


def case(name, data, verdict, technique, source, must_flag=None):
    """Record one corpus file. verdict: dangerous | unknown (malicious) or weights-only | no-code (benign)."""
    assert name not in CASES, name
    CASES[name] = {'bytes': data, 'verdict': verdict, 'technique': technique, 'source': source, 'must_flag': must_flag or []}


# ---- 1. every denylist entry, as GLOBAL + REDUCE in a bare pickle and in a torch zip ----
DENY = [
    # picklescan _unsafe_globals
    ('builtins', 'eval'), ('builtins', 'exec'), ('builtins', 'compile'), ('builtins', 'open'), ('builtins', 'breakpoint'),
    ('__builtin__', 'apply'), ('__builtin__', 'eval'), ('cloudpickle.cloudpickle', '_make_function'), ('types', 'CodeType'),
    ('aiohttp.client', 'ClientSession'), ('asyncio.subprocess', 'create_subprocess_shell'), ('bdb', 'Bdb'), ('commands', 'getoutput'),
    ('ctypes', 'CDLL'), ('functools', 'partial'), ('httplib', 'HTTPSConnection'), ('logging', 'FileHandler'), ('_io', 'FileIO'),
    ('numpy.f2py', 'compile'), ('numpy.testing._private.utils', 'runstring'), ('nt', 'system'), ('posix', 'system'),
    ('_operator', 'attrgetter'), ('operator', 'methodcaller'), ('os', 'system'), ('requests.api', 'get'), ('runpy', '_run_code'),
    ('shutil', 'rmtree'), ('socket', 'create_connection'), ('ssl', 'get_server_certificate'), ('subprocess', 'check_output'),
    ('sys', 'exit'), ('code', 'InteractiveInterpreter.runcode'), ('cProfile', 'run'), ('distutils.file_util', 'write_file'),
    ('doctest', 'debug_script'), ('ensurepip', '_run_pip'), ('idlelib.pyshell', 'ModifiedInterpreter.runcode'),
    ('idlelib.run', 'Executive.runcode'), ('imaplib', 'IMAP4_stream'), ('lib2to3.pgen2.grammar', 'Grammar.loads'), ('pdb', 'run'),
    ('pickle', 'loads'), ('_pickle', 'loads'), ('pip', 'main'), ('pkgutil', 'resolve_name'), ('pty', 'spawn'), ('profile', 'run'),
    ('pydoc', 'pipepager'), ('test.support.script_helper', 'assert_python_ok'), ('timeit', 'timeit'),
    ('torch._dynamo.guards', 'GuardBuilder.get'), ('torch._inductor.codecache', 'compile_file'),
    ('torch.fx.experimental.symbolic_shapes', 'ShapeEnv.evaluate_guards_expression'), ('torch.jit.unsupported_tensor_ops', 'execWrapper'),
    ('torch.serialization', 'load'), ('torch.utils._config_module', 'ConfigModule.load_config'),
    ('torch.utils.bottleneck.__main__', 'run_cprofile'), ('torch.utils.collect_env', 'run'),
    ('torch.utils.data.datapipes.utils.decoder', 'basichandlers'), ('trace', 'Trace.runctx'), ('urllib.request', 'urlopen'),
    ('uuid', '_get_command_stdout'), ('venv', 'create'), ('webbrowser', 'open'), ('_osx_support', '_read_output'),
    ('_aix_support', '_read_cmd_output'), ('_pyrepl.pager', 'pipe_pager'),
    # modelscan CRITICAL / HIGH
    ('builtins', '__import__'), ('operator', 'attrgetter'), ('asyncio', 'run'),
    # fickling UNSAFE_IMPORTS (modules) and UnsafeImportsML
    ('multiprocessing', 'Process'), ('_posixsubprocess', 'fork_exec'), ('codeop', 'compile_command'), ('marshal', 'loads'),
    ('_interpreters', 'run_string'), ('_xxsubinterpreters', 'run_string'), ('importlib', 'import_module'), ('_imp', 'create_dynamic'),
    ('zipimport', 'zipimporter'), ('gc', 'get_referrers'), ('site', 'addsitedir'), ('unittest.mock', 'patch'), ('inspect', 'getsource'),
    ('http.client', 'HTTPConnection'), ('smtplib', 'SMTP'), ('ftplib', 'FTP'), ('poplib', 'POP3'), ('telnetlib', 'Telnet'),
    ('nntplib', 'NNTP'), ('_ctypes', 'dlopen'), ('dill', 'loads'), ('joblib', 'load'), ('tempfile', 'mkstemp'), ('filecmp', 'cmp'),
    ('pexpect', 'spawn'), ('pipes', 'Template'), ('socketserver', 'TCPServer'), ('xmlrpc.client', 'ServerProxy'),
    ('signal', 'signal'), ('threading', 'Thread'), ('_thread', 'start_new_thread'), ('atexit', 'register'), ('sqlite3', 'connect'),
    ('fileinput', 'input'), ('glob', 'glob'), ('platform', 'popen'), ('linecache', 'getline'), ('difflib', 'restore'),
    ('compileall', 'compile_dir'), ('py_compile', 'compile'), ('mmap', 'mmap'), ('select', 'select'), ('selectors', 'DefaultSelector'),
    ('syslog', 'syslog'), ('tarfile', 'open'), ('zipfile', 'ZipFile'), ('shelve', 'open'), ('torch.hub', 'load'), ('torch.jit', 'load'),
    ('torch', 'compile'), ('numpy.distutils.exec_command', 'exec_command'), ('torch', 'load'), ('torch.storage', '_load_from_bytes'),
    ('torch.distributed.elastic.rendezvous.api', 'basichandlers'), ('io', 'open'),
    # issue 12: loaders of further pickles and code in ML libraries
    ('numpy', 'load'), ('pandas', 'read_pickle'), ('pandas.io.pickle', 'read_pickle'), ('mlflow.pyfunc', 'load_model'),
]
for module, name in DENY:
    src = PICKLESCAN if module not in ('multiprocessing',) else FICKLING
    tag = f'{module}.{name}'.replace('.', '_').replace('__', '_')
    case(f'deny_{tag}.pkl.pth', reduce_pickle(module, name), 'dangerous', f'GLOBAL {module} {name} then REDUCE (bare pickle)', f'{PICKLESCAN}; {MODELSCAN}; {FICKLING}; {ISSUE}', [f'{module}.{name}'])

for module, name in [('posix', 'system'), ('builtins', 'exec'), ('subprocess', 'Popen'), ('webbrowser', 'open'), ('torch', 'load')]:
    tag = f'{module}_{name}'
    case(f'zip_{tag}.pth', torch_zip_with(PROTO2 + dict_with('epoch', call(glob(module, name), ustr('echo pwned'))) + STOP), 'dangerous',
         f'torch.save zip whose data.pkl calls {module}.{name} inside the state dict', MODELSCAN, [f'{module}.{name}'])

# ---- 2. unknown names: not on the allowlist, not reviewed, not denylisted ----
UNKNOWN = [
    ('typing', '_eval_type', 'typing._eval_type(typing.ForwardRef(src), {}, {}) evaluates src'),
    ('typing', 'ForwardRef', 'typing.ForwardRef compiles its argument'),
    ('evil_module', 'Payload', 'a class from an unknown module: its __reduce__ target runs on load'),
    ('__main__', 'Exploit', 'a class from __main__: whatever the loading script defines'),
    ('transformers.utils.import_utils', '_LazyModule', 'a name inside a module that was once allowlisted whole'),
    ('omegaconf._utils', '_eval', 'a non-reviewed function of a configuration library'),
    ('torch.nn.modules.linear', 'Linear', 'a whole nn.Module: weights_only rejects it and its __setstate__ runs'),
    ('mlflowx.loader', 'load_model', 'a lookalike module name'),
]
for module, name, why in UNKNOWN:
    tag = f'{module}_{name}'.replace('.', '_')
    case(f'unknown_{tag}.pth', reduce_pickle(module, name, 'print(1)'), 'unknown', why, ISSUE)
case('unknown_typing_eval_forwardref.pth', PROTO2 + call(glob('typing', '_eval_type'), call(glob('typing', 'ForwardRef'), ustr('__import__("os").system("id")')), b'}', b'}') + STOP,
     'unknown', 'typing._eval_type(typing.ForwardRef(src), {}, {}) runs src; typing is not allowlisted whole any more', ISSUE)

# ---- 3. dotted names through any module, dunder paths (protocol 4 STACK_GLOBAL resolves dots) ----
P4 = b'\x80\x04'


def stack_global(module, name):
    return short_ustr(module) + short_ustr(name) + b'\x93'


for module, name in [('transformers.training_args', 'os.system'), ('numpy', 'os.system'), ('collections', 'abc.os.system'),
                     ('torch', 'serialization.os.system'), ('builtins', 'getattr.__self__.exec'), ('torch._utils', 'sys.modules'),
                     ('pathlib', 'os.system'), ('argparse', '_sys.modules')]:
    tag = f'{module}_{name}'.replace('.', '_')
    verdict = 'unknown' if name.startswith('_sys') else 'dangerous'  # argparse._sys is sys under a private alias no list names
    case(f'dotted_{tag}.pth', P4 + call(stack_global(module, name), short_ustr('id')) + STOP, verdict,
         f'STACK_GLOBAL {module} / {name}: pickle resolves the dotted name attribute by attribute', f'{FICKLING} (GHSA-5j3x-jp52-966f); {ISSUE}',
         [] if verdict == 'unknown' else [f'{module}.{name}'])
case('dotted_sys_modules_no_dunder.pth', P4 + stack_global('argparse', '_sys.modules') + STOP, 'unknown', 'argparse._sys is sys under a private alias: not on any list, so unknown (treat as code)', ISSUE)

# ---- 4. getattr ----
ENUM = glob('transformers.trainer_utils', 'IntervalStrategy')
case('getattr_os_system.pth', PROTO2 + call(call(glob('builtins', 'getattr'), call(glob('builtins', '__import__'), ustr('os')), ustr('system')), ustr('id')) + STOP,
     'dangerous', "getattr(__import__('os'), 'system')('id')", PICKLESCAN)
case('getattr_unknown_class.pth', PROTO2 + call(call(glob('builtins', 'getattr'), glob('collections', 'OrderedDict'), ustr('fromkeys')), b']') + STOP,
     'dangerous', 'getattr on a class that is not a reviewed enum (its result is called)', ISSUE)
case('getattr_enum_member_called.pth', PROTO2 + call(call(glob('builtins', 'getattr'), ENUM, ustr('STEPS')), ustr('x')) + STOP,
     'dangerous', "getattr(IntervalStrategy, 'STEPS') whose result is then called", ISSUE)
case('getattr_enum_private.pth', PROTO2 + call(glob('builtins', 'getattr'), ENUM, ustr('_missing_')) + STOP,
     'dangerous', 'getattr of a private attribute of an enum class', ISSUE)
case('getattr_uncalled.pth', PROTO2 + b']' + glob('builtins', 'getattr') + b'a' + STOP, 'dangerous', 'builtins.getattr imported, never called', PICKLESCAN)
case('getattr_of_unknown.pth', PROTO2 + call(glob('builtins', 'getattr'), glob('evil', 'Thing'), ustr('NAME')) + STOP,
     'unknown', 'getattr of a public attribute of an unknown class, result not called: unknown (the class is), not a denylist trick', ISSUE)
case('getattr_of_module.pth', PROTO2 + call(glob('builtins', 'getattr'), glob('os', 'path'), ustr('join')) + STOP,
     'dangerous', 'getattr of a denylisted module attribute', PICKLESCAN)
case('getattr_of_getattr.pth', PROTO2 + call(glob('builtins', 'getattr'), glob('builtins', 'getattr'), ustr('NAME')) + STOP,
     'dangerous', 'getattr whose target is getattr itself', PICKLESCAN)

# ---- 5. opcodes that call: INST, OBJ, NEWOBJ, NEWOBJ_EX, BUILD; memo-hidden STACK_GLOBAL; EXT ----
case('inst_os_system.pth', b'(' + b'S\'id\'\n' + b'ios\nsystem\n' + STOP, 'dangerous', 'protocol 0 INST os system', PICKLESCAN, ['os.system'])
case('obj_subprocess.pth', PROTO2 + b'(' + glob('subprocess', 'Popen') + ustr('id') + b'o' + STOP, 'dangerous', 'OBJ opcode', FICKLING, ['subprocess.Popen'])
case('newobj_unknown.pth', PROTO2 + glob('evil', 'Obj') + b')' + b'\x81' + STOP, 'unknown', 'NEWOBJ of an unknown class', ISSUE)
case('newobj_ex_unknown.pth', P4 + stack_global('evil', 'Obj') + b')' + b'}' + b'\x92' + STOP, 'unknown', 'NEWOBJ_EX of an unknown class', ISSUE)
case('build_setstate_unknown.pth', PROTO2 + glob('evil', 'Obj') + b')' + b'\x81' + b'}' + b'b' + STOP, 'unknown', 'BUILD calls __setstate__ of an unknown class', ISSUE)
case('stack_global_memo.pth', P4 + short_ustr('os') + b'\x94' + short_ustr('system') + b'\x94' + b'h\x00' + b'h\x01' + b'\x93' + short_ustr('id') + b'\x85R' + STOP,
     'dangerous', 'STACK_GLOBAL operands fetched from the memo', f'{PICKLESCAN} (malicious10)', ['os.system'])
case('stack_global_computed.pth', P4 + call(glob('builtins', 'str'), short_ustr('os')) + short_ustr('system') + b'\x93' + short_ustr('id') + b'\x85R' + STOP,
     'dangerous', 'STACK_GLOBAL whose module is computed by a call', PICKLESCAN)
case('ext1_code.pth', PROTO2 + b'\x82\x01' + b'(' + ustr('id') + b'tR' + STOP, 'dangerous', 'EXT1: the callee comes from the copyreg extension registry', ISSUE)

# ---- 6. the first byte: any opcode may start a pickle ----
case('start_string.pth', b"S'hello'\n0" + glob('os', 'system') + b"(S'id'\ntR." , 'dangerous', 'starts with STRING, then POP', ISSUE, ['os.system'])
case('start_empty_tuple.pth', b')0' + PROTO2 + call(glob('posix', 'system'), ustr('id')) + STOP, 'dangerous', 'starts with EMPTY_TUPLE', ISSUE, ['posix.system'])
frame_body = short_ustr('posix') + short_ustr('system') + b'\x93' + short_ustr('id') + b'\x85R' + STOP
case('start_frame.pth', b'\x95' + struct.pack('<Q', len(frame_body)) + frame_body, 'dangerous', 'starts with FRAME (no PROTO)', ISSUE, ['posix.system'])
case('start_unicode.pth', b'Vhello\n0' + glob('subprocess', 'call') + b"(S'id'\ntR.", 'dangerous', 'starts with UNICODE', ISSUE, ['subprocess.call'])
case('start_mark.pth', b'(' + glob('os', 'system') + b"S'id'\no.", 'dangerous', 'starts with MARK (protocol 1 OBJ)', ISSUE, ['os.system'])
case('start_none.pth', b'N0' + glob('os', 'system') + b"(S'id'\ntR.", 'dangerous', 'starts with NONE then POP', ISSUE, ['os.system'])

# ---- 7. globals seen before an error are kept ----
payload = call(glob('posix', 'system'), ustr('id'))
case('error_bad_opcode.pth', PROTO2 + payload + b'\xff' + STOP, 'dangerous', 'posix.system called, then an unknown opcode', ISSUE, ['posix.system'])
case('error_missing_memo.pth', PROTO2 + payload + b'0h\x63' + STOP, 'dangerous', 'posix.system called, then a missing memo key', ISSUE, ['posix.system'])
case('error_truncated.pth', PROTO2 + payload + b'X\xff\x00\x00\x00ab', 'dangerous', 'posix.system called, then the file ends inside a string', ISSUE, ['posix.system'])
case('error_stack_underflow.pth', PROTO2 + payload + b'00000' + STOP, 'dangerous', 'posix.system called, then stack underflow', ISSUE, ['posix.system'])
case('error_unknown_then_bad.pth', PROTO2 + call(glob('evil', 'Obj'), ustr('x')) + b'\xfe', 'unknown', 'unknown class called, then an unknown opcode', ISSUE)
case('error_zip_bad_opcode.pth', torch_zip_with(PROTO2 + payload + b'\xff' + STOP), 'dangerous', 'torch zip whose data.pkl calls posix.system then breaks', ISSUE, ['posix.system'])
case('error_legacy_bad_opcode.pth', LEGACY_MAGIC + LEGACY_PROTOCOL + PROTO2 + payload + b'\xff', 'dangerous', 'legacy stream whose sys_info calls posix.system then breaks', ISSUE, ['posix.system'])

case('error_setitem_on_list_then_import.pth', PROTO2 + b']' + b'K\x05a' + b'K\x00' + b'K\x01' + b's' + b'0' + call(glob('os', 'system'), ustr('id')) + STOP, 'dangerous',
     'SETITEM on a one-item list (CPython sets list[0] = 1 and goes on; this viewer\'s machine stops) then os.system: the import after the stop is still found', ISSUE, ['os.system'])
case('error_append_to_dict_then_import.pth', PROTO2 + b'}' + b'K\x01' + b'a' + b'0' + call(glob('evil', 'Obj'), ustr('x')) + STOP, 'unknown',
     'APPEND to a dict (CPython stops there too), then an unknown class: judged anyway, conservatively, from the linear walk past the error', ISSUE)

# ---- 8. FRAME divergence (gh-154848): a string that runs past its FRAME ----
inner = short_ustr('epoch') + b'K\x01'
frame_len = 2  # the frame ends inside the SHORT_BINUNICODE argument
frame_div = P4 + b'\x95' + struct.pack('<Q', frame_len) + b'}' + inner + b's' + STOP
case('frame_divergence_string.pth', frame_div, 'unknown', 'protocol 4 pickle whose FRAME ends inside a string argument: the C and Python unpicklers read it differently', f'{ISSUE}; CPython gh-154848')
nested_frames = P4 + b'\x95' + struct.pack('<Q', 12) + b'}' + b'\x95' + struct.pack('<Q', 7) + short_ustr('a') + b'K\x01s' + STOP
case('frame_inside_frame.pth', nested_frames, 'unknown', 'a FRAME opened before the previous one is consumed', f'{ISSUE}; CPython gh-154848')
case('zip_frame_divergence.pth', torch_zip_with(frame_div), 'unknown', 'FRAME divergence inside a torch zip data.pkl', ISSUE)

# ---- 9. zip members as torch reads them ----
evil = PROTO2 + dict_with('epoch', call(glob('os', 'system'), ustr('id'))) + STOP
case('zip_case_variant_first.pth', torch_zip([('archive/Data.pkl', evil), ('archive/data.pkl', BENIGN_STATE), ('archive/version', b'3\n')]),
     'dangerous', 'archive/Data.pkl before archive/data.pkl: torch looks names up case-insensitively and takes the first', ISSUE, ['os.system'])
case('zip_case_variant_second.pth', torch_zip([('archive/data.pkl', BENIGN_STATE), ('archive/DATA.PKL', evil), ('archive/version', b'3\n')]),
     'dangerous', 'a benign data.pkl first, an evil case variant second: every candidate is scanned', ISSUE, ['os.system'])
case('zip_duplicate_first_evil.pth', torch_zip([('archive/data.pkl', evil), ('archive/data.pkl', BENIGN_STATE), ('archive/version', b'3\n')]),
     'dangerous', 'two entries named archive/data.pkl: torch reads the first (evil); a last-wins reader sees the benign one', ISSUE, ['os.system'])
case('zip_duplicate_benign_pair.pth', torch_zip([('archive/data.pkl', BENIGN_STATE), ('archive/data.pkl', BENIGN_STATE), ('archive/version', b'3\n')]),
     'unknown', 'two benign entries named archive/data.pkl: the duplicate itself is a finding (readers disagree on which is read)', ISSUE)
case('zip_upper_only.pth', torch_zip([('archive/DATA.PKL', evil), ('archive/version', b'3\n')]), 'dangerous', 'only ARCHIVE/DATA.PKL: torch finds it case-insensitively', ISSUE, ['os.system'])
case('zip_other_top_folder.pth', torch_zip([('weird_name/data.pkl', evil), ('weird_name/version', b'3\n')]), 'dangerous', 'any top folder name', PICKLESCAN, ['os.system'])

# ---- 10. the pre-0.4 tar format and the legacy stream ----
case('tar_pickle_member.pth', tar_archive([('sys_info', LEGACY_SYSINFO), ('pickle', evil), ('storages', PROTO2 + b'K\x00.'), ('tensors', PROTO2 + b'K\x00.')]),
     'dangerous', 'pre-0.4 tar checkpoint whose pickle member calls os.system (torch tries tar first)', f'{ISSUE}; torch/serialization.py legacy_load', ['os.system'])
case('tar_storages_member.pth', tar_archive([('sys_info', LEGACY_SYSINFO), ('storages', PROTO2 + b'K\x01.' + reduce_pickle('posix', 'system')), ('tensors', PROTO2 + b'K\x00.'), ('pickle', BENIGN_STATE)]),
     'dangerous', 'tar checkpoint whose storages member holds the payload', f'{ISSUE}; torch/serialization.py legacy_load', ['posix.system'])
case('tar_unknown_in_tensors.pth', tar_archive([('storages', PROTO2 + b'K\x00.'), ('tensors', PROTO2 + b'K\x01.' + PROTO2 + call(glob('evil', 'Obj'), ustr('x')) + STOP), ('pickle', BENIGN_STATE)]),
     'unknown', 'tar checkpoint whose tensors member calls an unknown class', ISSUE)
case('legacy_sys_info_payload.pth', LEGACY_MAGIC + LEGACY_PROTOCOL + PROTO2 + call(glob('os', 'system'), ustr('id')) + STOP + BENIGN_STATE + LEGACY_KEYS,
     'dangerous', 'legacy stream: sys_info pickle calls os.system', PICKLESCAN, ['os.system'])
case('legacy_keys_payload.pth', LEGACY_MAGIC + LEGACY_PROTOCOL + LEGACY_SYSINFO + BENIGN_STATE + PROTO2 + call(glob('os', 'system'), ustr('id')) + STOP,
     'dangerous', 'legacy stream: the storage keys pickle calls os.system', ISSUE, ['os.system'])
case('legacy_magic_computed.pth', PROTO2 + call(glob('builtins', 'eval'), ustr('0x1950a86a20f9469cfc6c')) + STOP + LEGACY_PROTOCOL + LEGACY_SYSINFO + BENIGN_STATE + LEGACY_KEYS,
     'dangerous', 'legacy magic number computed by eval', ISSUE, ['builtins.eval'])

# ---- 11. nested pickles ----
inner_evil = reduce_pickle('posix', 'system')
case('nested_pickle_loads.pth', PROTO2 + b'}' + ustr('x') + b'c_pickle\nloads\n(' + b'C' + bytes([len(inner_evil)]) + inner_evil + b'tRs' + STOP,
     'dangerous', '_pickle.loads of embedded bytes', f'{PICKLESCAN}; {ISSUE}', ['_pickle.loads'])
bio = call(glob('_io', 'BytesIO'), b'C' + bytes([len(inner_evil)]) + inner_evil)
case('nested_torch_load_bytesio.pth', PROTO2 + call(glob('torch', 'load'), bio) + STOP, 'dangerous', 'torch.load(io.BytesIO(pickle bytes))', f'{FICKLING}; {ISSUE}', ['torch.load'])
zip_inner = torch_zip_with(PROTO2 + call(glob('subprocess', 'run'), ustr('id')) + STOP)
case('nested_torch_load_zip.pth', PROTO2 + call(glob('torch', 'load'), call(glob('_io', 'BytesIO'), binbytes(zip_inner))) + STOP,
     'dangerous', 'torch.load of a whole torch.save archive embedded as bytes', ISSUE, ['torch.load'])
npy_header = b"{'descr': '|O', 'fortran_order': False, 'shape': (1,), }"
npy_header = npy_header.ljust(64 * ((10 + len(npy_header) + 1 + 63) // 64) - 10 - 1) + b'\n'  # numpy pads to 64 bytes
npy = b'\x93NUMPY\x01\x00' + struct.pack('<H', len(npy_header)) + npy_header + inner_evil
case('nested_numpy_load.pth', PROTO2 + call(glob('numpy', 'load'), call(glob('_io', 'BytesIO'), binbytes(npy))) + STOP,
     'dangerous', 'numpy.load of an object .npy (a pickle after the header) embedded as bytes', f'{PICKLESCAN} (TODO list); {ISSUE}', ['numpy.load'])

# ---- 12. benign controls (written by hand in the shapes torch.save and pickle.dumps produce) ----
case('benign_bare_dict.pth', BENIGN_STATE, 'no-code', 'a bare pickle of a dict: no code, but torch.load rejects a bare pickle (no magic number)', ISSUE)
case('benign_zip_state.pth', torch_zip_with(BENIGN_STATE), 'weights-only', 'a torch zip whose data.pkl is a plain dict: weights_only loads it', ISSUE)
case('benign_zip_ordereddict.pth', torch_zip_with(PROTO2 + call(glob('collections', 'OrderedDict'), b']') + STOP), 'weights-only', 'collections.OrderedDict() only', ISSUE)
case('benign_zip_enum_getattr.pth', torch_zip_with(PROTO2 + dict_with('eval_strategy', call(glob('builtins', 'getattr'), ENUM, ustr('STEPS'))) + STOP),
     'no-code', "getattr(IntervalStrategy, 'STEPS'): how Python 3.11+ pickles enum members; no code, weights_only rejects it", ISSUE)
case('benign_zip_numpy_scalar.pth', torch_zip_with(PROTO2 + dict_with('best', call(glob('numpy.core.multiarray', 'scalar'), call(glob('numpy', 'dtype'), ustr('f8'), b'\x89\x88'), b'C\x08' + b'\x00' * 8)) + STOP),
     'no-code', 'a numpy float64 scalar (EnStack best_val_f1): no code, weights_only rejects it', ISSUE)
case('benign_legacy_stream.pth', LEGACY_MAGIC + LEGACY_PROTOCOL + LEGACY_SYSINFO + BENIGN_STATE + LEGACY_KEYS, 'weights-only', 'a legacy (pre-1.6) stream of plain values', ISSUE)
case('benign_zip_protocol4.pth', torch_zip_with(P4 + b'}' + short_ustr('epoch') + b'K\x01s' + STOP), 'no-code',
     'protocol 4 opcodes (SHORT_BINUNICODE) that the weights_only unpickler does not implement: no code, weights_only fails', ISSUE)


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    expected = {}
    for name, c in sorted(CASES.items()):
        with open(os.path.join(OUT, name), 'wb') as f:
            f.write(c['bytes'])
        expected[name] = {k: v for k, v in c.items() if k != 'bytes'}
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write('\n')
    counts = {}
    for c in CASES.values():
        counts[c['verdict']] = counts.get(c['verdict'], 0) + 1
    print(f'{len(CASES)} cases in {os.path.relpath(OUT)}: {counts}')


if __name__ == '__main__':
    main()
