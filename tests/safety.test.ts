/**
 * Safety: the hostile corpus made by scripts/make_fixtures.py (raw opcodes, never loaded) is
 * flagged global by global; controls are not; harmless fields still read. Broken inputs (own and
 * ../shared bad/) end in clear, typed messages and never a crash.
 */
import { describe, expect, test } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesSource } from '../src/core/bytes/byteSource';
import { asNumber, dictGet, type PyValue } from '../src/core/pickle/values';
import { torchFileFindings } from '../src/core/analyze/analyzeCheckpoint';
import { loadTorchFile } from '../src/core/torch/loadTorchFile';
import { CheckpointFormatError } from '../src/core/errors';
import { analyzeFolder, OWN, SHARED } from './support/fixtures';

interface HostileCase {
  must_flag: string[];
  inner_must_flag?: string[];
  harmless_fields: Record<string, number | string>;
}

const HOSTILE = join(OWN, 'hostile');
const hostile = JSON.parse(readFileSync(join(HOSTILE, 'expected.json'), 'utf8')) as Record<string, HostileCase>;

/** A harmless field as shown: numbers, strings, and enum members (getattr(EnumClass, 'NAME')) by name. */
function fieldValue(v: PyValue | undefined): number | string | undefined {
  if (v?.kind === 'str') return v.value;
  if (v?.kind === 'object' && v.callee?.name === 'getattr' && v.args[1]?.kind === 'str') return v.args[1].value;
  return asNumber(v);
}

async function open(path: string, name: string) {
  const src = bytesSource(new Uint8Array(readFileSync(path)), name);
  const file = await loadTorchFile(src);
  return { file, findings: torchFileFindings(name, file) };
}

describe('hostile pickles are flagged, never run', () => {
  test('the corpus has at least 10 files', () => expect(Object.keys(hostile).length).toBeGreaterThanOrEqual(10));
  for (const [name, c] of Object.entries(hostile)) {
    test(name, async () => {
      const { file, findings } = await open(join(HOSTILE, name), name);
      const dangerous = findings.filter((f) => f.verdict === 'dangerous');
      for (const g of c.must_flag) {
        const hit = dangerous.find((f) => f.name === g && !f.pickle.startsWith('pickle inside'));
        expect(hit, `${g} flagged`).toBeDefined();
        expect(hit!.offset).toBeGreaterThanOrEqual(0);
      }
      for (const g of c.inner_must_flag ?? []) {
        expect(dangerous.some((f) => f.name === g && f.pickle.startsWith('pickle inside')), `inner ${g}`).toBe(true);
      }
      if (c.must_flag.length === 0) expect(dangerous).toEqual([]);
      for (const [k, v] of Object.entries(c.harmless_fields)) {
        expect(fieldValue(dictGet(file.value, k)), k).toEqual(v);
      }
    });
  }
});

interface BadExpectation {
  code?: string;
  message?: RegExp;
  epoch?: number;
  step?: number;
  dangerous?: RegExp;
}

/** What each broken file must give (own bad/ and ../shared/fixtures/bad share names). */
const BAD: Record<string, BadExpectation> = {
  'empty.pth': { code: 'empty-file', message: /empty/ },
  'truncated_half.pth': { code: 'truncated', message: /ends early|cut short/ },
  'truncated_tail_64.pth': { code: 'truncated', message: /ends early|cut short/ },
  'html_error_page.pth': { code: 'html-page', message: /HTML page/ },
  'lfs_pointer.pth': { code: 'lfs-pointer', message: /git lfs pull/ },
  'bitflip_in_pickle.pth': { code: 'crc-mismatch', message: /CRC-32/ },
  'bitflip_opcode_in_pickle.pth': { code: 'crc-mismatch', message: /cannot be read/ },
  'protocol6.pth': { code: 'unsupported-protocol', message: /protocol 6/ },
  'protocol0_with_tensors.pth': { code: 'bad-pickle', message: /stored as text/, epoch: 1, step: 5 },
  'malicious_os_system.pth': { epoch: 1, step: 5, dangerous: /^(posix|os)\.system$/ },
};

function checkBadFolder(dir: string): void {
  test(dir, async () => {
    // the whole folder at once: every file gives its own result, none hides another
    const { summaries } = await analyzeFolder(dir);
    const names = summaries.map((s) => s.name);
    for (const [name, exp] of Object.entries(BAD)) {
      if (!existsSync(join(dir, name))) continue;
      const s = summaries.find((x) => x.name === name);
      expect(s, `${name} in ${names.join(', ')}`).toBeDefined();
      if (exp.code) {
        const p = s!.problems.find((x) => x.code === exp.code);
        expect(p, `${name}: ${JSON.stringify(s!.problems)}`).toBeDefined();
        expect(p!.message).toMatch(exp.message!);
        expect(p!.file).toContain(name);
      }
      if (exp.epoch !== undefined) {
        expect(s!.progress?.epoch, name).toBe(exp.epoch);
        expect(s!.progress?.step, name).toBe(exp.step);
      }
      if (exp.dangerous) {
        const hit = s!.safety?.findings.find((f) => f.verdict === 'dangerous' && exp.dangerous!.test(f.name));
        expect(hit, name).toBeDefined();
        expect(hit!.offset).toBeGreaterThan(0);
        expect(hit!.member).toMatch(/data\.pkl$/);
        expect(s!.safety?.verdict).toBe('dangerous');
        expect(s!.repair.eligible).toBe(false); // harmless fields shown, but no new copy of a dangerous file is made
        expect(s!.repair.reason).toMatch(/run code/);
      }
    }
  });
}

describe('broken files give clear messages', () => {
  checkBadFolder(join(OWN, 'bad'));
  describe.skipIf(!existsSync(join(SHARED, 'bad')))('shared', () => checkBadFolder(join(SHARED, 'bad')));

  test('a CRC mismatch with a readable pickle still shows values and blocks the repair', async () => {
    const { summaries } = await analyzeFolder(join(OWN, 'bad'));
    const s = summaries.find((x) => x.name === 'bitflip_in_pickle.pth')!;
    expect(s.progress).toBeDefined();
    expect(s.repair.eligible).toBe(false);
  });

  test('errors are typed and name the file', async () => {
    let err: unknown;
    try {
      await loadTorchFile(bytesSource(new Uint8Array(readFileSync(join(OWN, 'bad', 'truncated_half.pth'))), 'truncated_half.pth'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CheckpointFormatError);
    expect((err as CheckpointFormatError).describe()).toMatch(/^truncated_half\.pth: /);
  });
});
