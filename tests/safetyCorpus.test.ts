/**
 * The safety corpus (scripts/make_safety_corpus.py, raw opcodes, never unpickled) through the
 * real pipeline: every malicious case gets "may run code" (the exact verdict, dangerous or
 * unknown) and none a safe verdict; every benign case the verdict torch gives it; the CLI's
 * inspect exits 1 on every malicious case. Real torch.save outputs in fixtures/ get the verdict
 * torch gives them. The benign corpus cases' weights_only outcomes were checked with this
 * machine's Debian torch (1.13, `torch.load(f, weights_only=True)`), whose unpickler agrees with
 * torch 2.6's on them: benign_legacy_stream, benign_zip_state and benign_zip_ordereddict load; the
 * others are rejected.
 */
import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesSource } from '../src/core/bytes/byteSource';
import { loadTorchFile } from '../src/core/torch/loadTorchFile';
import { safetySummary, scanGlobals } from '../src/core/safety/scan';
import type { SafetyVerdict } from '../src/core/safety/types';
import { collectInputs } from '../src/cli/collectInputs';
import { analyzeInputs } from '../src/cli/analyzeInputs';
import { inspectExitCode } from '../src/cli/inspectCommand';
import { analyzeFolder, OWN, ROOT } from './support/fixtures';

interface CorpusCase {
  verdict: SafetyVerdict;
  technique: string;
  source: string;
  must_flag: string[];
}

const DIR = join(OWN, 'safety_corpus');
const corpus = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, CorpusCase>;
const entries = Object.entries(corpus);
const malicious = entries.filter(([, c]) => c.verdict === 'dangerous' || c.verdict === 'unknown');
const benign = entries.filter(([, c]) => c.verdict === 'weights-only' || c.verdict === 'no-code');

/** The verdict of one file from the core alone: loadTorchFile, the scan, the summary. */
async function coreVerdict(name: string) {
  const src = bytesSource(new Uint8Array(readFileSync(join(DIR, name))), name);
  const f = await loadTorchFile(src);
  const findings = scanGlobals(f.pickles.map((p) => ({ file: name, member: p.member, label: p.label, globals: p.result.globals })));
  return safetySummary(findings, f.format === 'pickle');
}

describe('safety corpus', () => {
  test('the corpus holds every technique: at least 150 malicious and 5 benign cases', () => {
    expect(malicious.length).toBeGreaterThanOrEqual(150);
    expect(benign.length).toBeGreaterThanOrEqual(5);
    for (const prefix of ['deny_', 'unknown_', 'dotted_', 'getattr_', 'start_', 'error_', 'frame_', 'zip_case', 'zip_duplicate', 'tar_', 'legacy_', 'nested_']) {
      expect(entries.some(([n]) => n.startsWith(prefix)), prefix).toBe(true);
    }
  });

  describe('core: the exact verdict of every case', () => {
    for (const [name, c] of entries) {
      test(`${name}: ${c.verdict}`, async () => {
        const s = await coreVerdict(name);
        expect(s.verdict, `${c.technique}\n${JSON.stringify(s.findings.filter((f) => f.verdict !== 'allowed').map((f) => [f.name, f.verdict]))}`).toBe(c.verdict);
        expect(s.mayRunCode).toBe(c.verdict === 'dangerous' || c.verdict === 'unknown');
        expect(s.weightsOnlyLoads).toBe(c.verdict === 'weights-only');
        for (const g of c.must_flag) {
          const hit = s.findings.find((f) => f.name === g && f.verdict === 'dangerous');
          expect(hit, `${g} flagged dangerous`).toBeDefined();
          expect(hit!.offset).toBeGreaterThanOrEqual(0);
        }
      });
    }
  });

  test('CLI inspect pipeline (in process): every malicious case exits 1 with its verdict; benign cases keep theirs', async () => {
    const wrong: string[] = [];
    for (const [name, c] of entries) {
      const r = await analyzeInputs(collectInputs([join(DIR, name)]));
      const verdicts = r.summaries.map((s) => s.safety?.verdict);
      const code = inspectExitCode(r);
      const malicious = c.verdict === 'dangerous' || c.verdict === 'unknown';
      if (verdicts.length !== 1 || verdicts[0] !== c.verdict || (malicious && code !== 1)) wrong.push(`${name}: ${JSON.stringify(verdicts)} exit ${code}, expected ${c.verdict}`);
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  test('the ckptview binary exits 1 and names the verdict on sample malicious cases', () => {
    const sample = ['deny_posix_system.pkl.pth', 'error_bad_opcode.pth', 'zip_case_variant_first.pth', 'tar_pickle_member.pth', 'unknown_typing__eval_type.pth', 'frame_divergence_string.pth'];
    for (const name of sample) {
      expect(corpus[name], name).toBeDefined();
      const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'ckptview.mjs'), 'inspect', join(DIR, name)], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, `${name}\n${r.stdout}\n${r.stderr}`).toBe(1);
      expect(r.stdout).toContain(corpus[name].verdict === 'dangerous' ? 'Dangerous: runs code when loaded' : 'May run code: unknown imports, treat as code');
    }
  }, 120_000);
});

describe('real torch.save outputs get the verdict torch gives them', () => {
  // weights_only (torch >= 2.6) rejects numpy scalars (EnStack best_val_*), numpy arrays (HF
  // rng_state.pth) and TrainingArguments (training_args.bin): no code runs, but it rejects them.
  const CASES: [string, SafetyVerdict][] = [
    ['enstack', 'no-code'],
    ['hf_trainer', 'no-code'],
    ['custom_top_folder', 'no-code'],
    ['torch_legacy_format', 'no-code'],
    ['pickle_protocol4', 'no-code'], // FRAME, SHORT_BINUNICODE, MEMOIZE: "Unsupported operand" in weights_only
    // only allowlisted globals and opcodes the torch >= 2.6 weights_only unpickler implements (BINFLOAT
    // included; torch 1.13's lacked it and stops with "Unsupported operand 71")
    ['lightning', 'weights-only'],
    ['tutorial', 'weights-only'],
  ];
  for (const [dir, verdict] of CASES) {
    test(`${dir}: ${verdict}`, async () => {
      const { summaries } = await analyzeFolder(join(OWN, dir));
      expect(summaries.length).toBeGreaterThan(0);
      for (const s of summaries) {
        expect(s.safety?.verdict, `${s.name}: ${JSON.stringify(s.safety?.findings.filter((f) => f.verdict !== 'allowed').map((f) => [f.name, f.verdict]))}`).toBe(verdict);
        expect(s.safety?.mayRunCode).toBe(false);
      }
    });
  }
});
