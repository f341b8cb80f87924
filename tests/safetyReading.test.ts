/**
 * Reading as torch reads, with exact values: global verdicts by name, zip lookup among
 * duplicates and case variants, FRAME divergence offsets, globals kept before a parse error, the
 * tar reader, and looksLoadableByTorch. Inputs come from fixtures/safety_corpus (raw opcodes).
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesSource } from '../src/core/bytes/byteSource';
import { loadTorchFile } from '../src/core/torch/loadTorchFile';
import { PickleParseError, runPickle } from '../src/core/pickle/machine';
import { classifyGlobal } from '../src/core/safety/globalLists';
import { scanGlobals } from '../src/core/safety/scan';
import { looksLoadableByTorch } from '../src/core/safety/loadable';
import { isTarHeader, listTar } from '../src/core/zip/tarReader';
import { dictGet, asNumber } from '../src/core/pickle/values';
import { OWN } from './support/fixtures';

const DIR = join(OWN, 'safety_corpus');
const bytesOf = (name: string) => new Uint8Array(readFileSync(join(DIR, name)));
const load = (name: string) => loadTorchFile(bytesSource(bytesOf(name), name));
const findings = async (name: string) => {
  const f = await load(name);
  return { f, all: scanGlobals(f.pickles.map((p) => ({ file: name, member: p.member, label: p.label, globals: p.result.globals }))) };
};

describe('global verdicts by name', () => {
  const CASES: [string, string, string][] = [
    ['transformers.training_args', 'os.system', 'dangerous'],
    ['httplib', 'HTTPSConnection', 'dangerous'],
    ['__builtin__', 'eval', 'dangerous'],
    ['builtins', 'getattr.__self__.exec', 'dangerous'],
    ['_operator', 'attrgetter', 'dangerous'],
    ['logging', 'FileHandler', 'dangerous'],
    ['uuid', 'UUID', 'dangerous'], // picklescan lists uuid whole (uuid._get_command_stdout)
    ['torch', 'compile', 'dangerous'],
    ['typing', '_eval_type', 'unknown'],
    ['typing', 'ForwardRef', 'unknown'],
    ['transformers.utils.import_utils', '_LazyModule', 'unknown'],
    ['constructor', 'x', 'unknown'],
    ['numpy.random._pickle', '__randomstate_ctor', 'harmless'],
    ['numpy.core.multiarray', 'scalar', 'harmless'],
    ['transformers.training_args', 'TrainingArguments', 'harmless'],
    ['builtins', 'frozenset', 'harmless'],
    ['__builtin__', 'set', 'allowed'],
    ['torch._utils', '_rebuild_tensor_v2', 'allowed'],
    ['torch', 'FloatStorage', 'allowed'],
    ['torch', 'bfloat16', 'allowed'],
    ['torch', 'float', 'unknown'], // torch's allowlist holds canonical dtype names only (str(torch.float) is torch.float32)
    ['collections', 'OrderedDict', 'allowed'],
    ['_codecs', 'encode', 'allowed'],
  ];
  for (const [m, n, v] of CASES) test(`${m}.${n}: ${v}`, () => expect(classifyGlobal(m, n).verdict).toBe(v));
  test('an unresolvable STACK_GLOBAL is dangerous', () => expect(classifyGlobal('<int>', 'system', false).verdict).toBe('dangerous'));
});

describe('zip members as torch reads them', () => {
  test('two entries named archive/data.pkl: the first (evil) is the one read, the other scanned, the duplicate noted', async () => {
    const { f, all } = await findings('zip_duplicate_first_evil.pth');
    expect(f.zip!.dataPkl.localHeaderOffset).toBe(0);
    expect(f.value.kind).toBe('dict');
    expect(dictGet(f.value, 'epoch')?.kind).toBe('object'); // os.system(...) in the evil one, not the benign epoch 2
    expect(all.filter((x) => x.name === 'os.system').map((x) => [x.member, x.pickle])).toEqual([['archive/data.pkl', 'data.pkl']]);
    const dup = all.find((x) => x.opcode === 'READ' && x.name.startsWith('2 entries named'));
    expect(dup?.verdict).toBe('unknown');
    expect(f.pickles.map((p) => p.label)).toContain('duplicate archive/data.pkl');
    expect(f.anomalies.some((a) => a.startsWith('2 archive entries share the name "archive/data.pkl"'))).toBe(true);
  });
  test('archive/Data.pkl before archive/data.pkl: the case variant is read (case-insensitive lookup, first wins)', async () => {
    const { f, all } = await findings('zip_case_variant_first.pth');
    expect(f.zip!.dataPkl.name).toBe('archive/Data.pkl');
    expect(all.find((x) => x.name === 'os.system')?.member).toBe('archive/Data.pkl');
  });
  test('a benign data.pkl first and an evil DATA.PKL second: both scanned', async () => {
    const { f, all } = await findings('zip_case_variant_second.pth');
    expect(f.zip!.dataPkl.name).toBe('archive/data.pkl');
    expect(asNumber(dictGet(f.value, 'epoch'))).toBe(2);
    expect(all.find((x) => x.name === 'os.system')?.member).toBe('archive/DATA.PKL');
  });
});

describe('FRAME divergence and broken pickles', () => {
  test('a string that runs past its FRAME: offsets of the opcode and the frame', () => {
    const r = runPickle(bytesOf('frame_divergence_string.pth'), { file: 'x' });
    // PROTO 4 (0-1), FRAME at 2 announcing 2 bytes (ends at 13), EMPTY_DICT at 11, SHORT_BINUNICODE at 12
    expect(r.frameDivergences).toEqual([{ offset: 12, frameOffset: 2, frameEnd: 13, opcode: 'SHORT_BINUNICODE' }]);
  });
  test('posix.system then an unknown opcode: the error carries the import, the file reports it', async () => {
    let err: unknown;
    try {
      runPickle(bytesOf('error_bad_opcode.pth'), { file: 'x' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PickleParseError);
    const e = err as PickleParseError;
    expect(e.code).toBe('unknown-opcode');
    expect(e.offset).toBe(26);
    expect(e.partialGlobals.map((g) => [`${g.module}.${g.name}`, g.offset, g.called])).toEqual([['posix.system', 2, true]]);
    const { f, all } = await findings('error_bad_opcode.pth');
    expect(f.integrity.map((x) => x.code)).toEqual(['unknown-opcode']);
    expect(all.find((x) => x.name === 'posix.system')).toMatchObject({ verdict: 'dangerous', offset: 2, called: true });
  });
  test('a corrupt pickle that imports nothing is still an error, not a partial file', async () => {
    await expect(loadTorchFile(bytesSource(new Uint8Array([0x80, 0x02, 0x7d, 0xff]), 'x.pth'))).rejects.toMatchObject({ code: 'unknown-opcode', offset: 3 });
  });
});

describe('nested loaders are followed', () => {
  test('torch.load(io.BytesIO(<a torch.save zip>)): the embedded archive is read and its data.pkl judged', async () => {
    const { all } = await findings('nested_torch_load_zip.pth');
    expect(all.find((x) => x.name === 'subprocess.run')).toMatchObject({ verdict: 'dangerous', pickle: 'pickle inside the bytes given to torch.load › data.pkl', offset: 2 });
  });
  test('numpy.load(io.BytesIO(<an object .npy>)): the pickle after the .npy header is judged', async () => {
    const { all } = await findings('nested_numpy_load.pth');
    expect(all.find((x) => x.name === 'posix.system')).toMatchObject({ verdict: 'dangerous', pickle: 'pickle inside the bytes given to numpy.load', offset: 130 });
  });
});

describe('the pre-0.4 tar format', () => {
  test('members listed as tarfile writes them; the payload in the pickle member is found', async () => {
    const b = bytesOf('tar_pickle_member.pth');
    expect(isTarHeader(b)).toBe(true);
    expect(listTar(b).map((m) => [m.name, m.dataOffset])).toEqual([['sys_info', 512], ['pickle', 1536], ['storages', 2560], ['tensors', 3584]]);
    const { f, all } = await findings('tar_pickle_member.pth');
    expect(f.format).toBe('tar');
    expect(all.find((x) => x.name === 'os.system')).toMatchObject({ member: 'pickle', verdict: 'dangerous' });
    expect(all.some((x) => x.opcode === 'READ' && x.name === 'pre-0.4 tar format' && x.verdict === 'harmless')).toBe(true);
  });
});

describe('looksLoadableByTorch', () => {
  test('zip, tar and pickles (whatever the first opcode) are loadable; text, JSON, HTML and empty files are not', () => {
    expect(looksLoadableByTorch(bytesOf('zip_duplicate_benign_pair.pth'))).toBe(true);
    expect(looksLoadableByTorch(bytesOf('tar_pickle_member.pth').subarray(0, 512))).toBe(true);
    for (const n of ['start_string.pth', 'start_empty_tuple.pth', 'start_frame.pth', 'start_unicode.pth', 'deny_posix_system.pkl.pth']) expect(looksLoadableByTorch(bytesOf(n)), n).toBe(true);
    const text = (t: string) => new TextEncoder().encode(t);
    expect(looksLoadableByTorch(text('{"a": 1}'))).toBe(false);
    expect(looksLoadableByTorch(text('<!doctype html>'))).toBe(false);
    expect(looksLoadableByTorch(text('# README'))).toBe(false);
    const readme = text('This is a readme, not a pickle.\n');
    expect(looksLoadableByTorch(readme, readme.length)).toBe(false); // 'T' BINSTRING with an absurd length: torch stops at once
    expect(looksLoadableByTorch(new Uint8Array(0))).toBe(false);
  });
});
