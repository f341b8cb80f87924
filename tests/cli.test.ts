/**
 * Issue 8: the `ckptview` command line, run as a subprocess (the package's bin, through tsx) on the
 * project's own fixtures. Values are asserted against each fixture's expected.json (what
 * torch.load returned); repaired files are checked with real PyTorch (scripts/check_repair.py).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OWN, ROOT } from './support/fixtures';
import { runPythonJson } from './support/python';

const BIN = join(ROOT, 'bin', 'ckptview.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI (`node bin/ckptview.mjs ...args`) from the repository root. */
function cli(...args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Expected {
  epoch: number;
  step: number;
  total_batches: number;
  epoch_complete: boolean;
  progress_percent: number | null;
  remaining_batches: number | null;
  resume: string;
  best_val_f1: number;
  best_val_acc: number;
  optimizer_steps: number | null;
  optimizer_param_states: number;
  scheduler_last_epoch: number;
  scaler_scale: number;
  model_parameters: number;
  pickle_protocol: number;
}

const expectedOf = (dir: string): Expected => JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;

/** Lines `  label   value` of a status block. */
function field(block: string, label: string): string | undefined {
  const m = new RegExp(`^  ${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +(.+)$`, 'm').exec(block);
  return m?.[1];
}

/** The text block of checkpoint `name` in an inspect output. */
function block(stdout: string, name: string): string {
  const blocks = stdout.split('\n\n');
  const b = blocks.find((x) => x.startsWith(`${name}  `));
  if (!b) throw new Error(`no block for ${name} in:\n${stdout}`);
  return b;
}

/** Every status field of a text block against expected.json. */
function checkBlock(b: string, e: Expected): void {
  expect(field(b, 'epoch')).toBe(String(e.epoch));
  expect(field(b, 'step')).toBe(String(e.step));
  expect(field(b, 'batches per epoch')).toBe(String(e.total_batches));
  expect(field(b, 'progress')).toBe(e.epoch_complete ? 'complete' : `${e.progress_percent!.toFixed(1)}%`);
  expect(field(b, 'remaining batches')).toBe(e.remaining_batches === null ? '—' : String(e.remaining_batches));
  expect(field(b, 'resume')).toBe(e.resume);
  expect(b).toContain(e.epoch_complete ? `Epoch ${e.epoch} is complete: a resume starts epoch ${e.epoch + 1}.` : `Epoch ${e.epoch} is incomplete: a resume continues epoch ${e.epoch} from step ${e.step}.`);
  expect(field(b, 'best F1')).toBe(e.best_val_f1.toFixed(4));
  expect(field(b, 'best accuracy')).toBe(e.best_val_acc.toFixed(4));
  expect(field(b, 'optimizer')).toBe(`present: ${e.optimizer_param_states} parameter states, ${e.optimizer_steps} steps`);
  expect(field(b, 'scheduler')).toMatch(new RegExp(`^present: last_epoch ${e.scheduler_last_epoch}, lr \\d\\.\\d\\de-\\d+$`));
  expect(field(b, 'grad scaler')).toBe(`present: scale ${e.scaler_scale}`);
  expect(field(b, 'model')).toMatch(new RegExp(`: ${e.model_parameters.toLocaleString('en-US')} parameters \\(float32\\)$`));
  expect(field(b, 'safety')).toBe('No code runs, but weights_only rejects it');
}

describe('inspect', () => {
  test('one checkpoint folder: the status card values of expected.json, exit 0', () => {
    const dir = join(OWN, 'enstack', 'last_checkpoint');
    const r = cli('inspect', dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const e = expectedOf(dir);
    checkBlock(block(r.stdout, 'last_checkpoint'), e);
    expect(r.stdout).toContain(`Resuming from last_checkpoint will ${e.resume} (${e.remaining_batches} batches left in the epoch).`);
  });

  test('--json holds the summary and the findings with the expected values', () => {
    const dir = join(OWN, 'enstack', 'last_checkpoint');
    const r = cli('inspect', dir, '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      exitCode: number;
      bytesRead: number;
      checkpoints: {
        kind: string;
        progress: { epoch: number; step: number; totalBatches: number; progressPercent: number; remainingBatches: number; resume: { text: string } };
        bestValF1: number;
        bestValAcc: number;
        optimizer: { steps: number; paramStates: number };
        scheduler: { lastEpoch: number };
        scaler: { scale: number };
        model: { parameters: number };
        files: { role: string; pickleProtocol?: number }[];
        safety: { verdict: string };
      }[];
      findings: { id: string }[];
    };
    const e = expectedOf(dir);
    expect(doc.exitCode).toBe(0);
    expect(doc.checkpoints).toHaveLength(1);
    const s = doc.checkpoints[0];
    expect(s.kind).toBe('enstack');
    expect(s.progress).toMatchObject({ epoch: e.epoch, step: e.step, totalBatches: e.total_batches, progressPercent: e.progress_percent, remainingBatches: e.remaining_batches });
    expect(s.progress.resume.text).toBe(e.resume);
    expect(s.bestValF1).toBe(e.best_val_f1);
    expect(s.bestValAcc).toBe(e.best_val_acc);
    expect(s.optimizer.steps).toBe(e.optimizer_steps);
    expect(s.optimizer.paramStates).toBe(e.optimizer_param_states);
    expect(s.scheduler.lastEpoch).toBe(e.scheduler_last_epoch);
    expect(s.scaler.scale).toBe(e.scaler_scale);
    expect(s.model.parameters).toBe(e.model_parameters);
    expect(s.files.find((f) => f.role === 'training state')?.pickleProtocol).toBe(e.pickle_protocol);
    expect(s.safety.verdict).toBe('no-code');
    expect(doc.findings.map((f) => f.id.split(':')[0])).toEqual(['resume']);
    // metadata only: a few KB of a checkpoint folder are read
    expect(doc.bytesRead).toBeGreaterThan(0);
  });

  test('a whole run folder: every checkpoint, the lost end-of-epoch save, the leftovers; exit 1', () => {
    const run = join(OWN, 'enstack_run');
    const exp = JSON.parse(readFileSync(join(run, 'expected.json'), 'utf8')) as { checkpoints: string[]; finding: string; interrupted_save_leftovers: string[]; latest_checkpoint: string; latest_position: { epoch: number; step: number } };
    const r = cli('inspect', run);
    expect(r.code).toBe(1);
    for (const name of exp.checkpoints) checkBlock(block(r.stdout, name), expectedOf(join(run, name)));
    expect(r.stdout).toContain(`[error] The end-of-epoch save was lost. ${exp.finding}`);
    for (const l of exp.interrupted_save_leftovers) expect(r.stdout).toContain(`[warning] A save was interrupted. ${l.split(' ')[0]}`);
    // recovery_checkpoint holds more training than a repaired last_checkpoint would: it is the first choice
    expect(r.stdout).toContain(`what to do: Resume from ${exp.latest_checkpoint} (epoch ${exp.latest_position.epoch} step ${exp.latest_position.step}): it holds the most training of this run. Second choice: Marking epoch 2 complete in last_checkpoint`);
    expect(r.stdout).toContain('Runs (1)\n  [act] enstack_run (EnStack, 5 checkpoints)\n    now: Resuming from last_checkpoint will continue epoch 2 from step 800.');
  });

  test('several folders given at once are one drop (findings across them)', () => {
    const dirs = ['last_checkpoint', 'best_model', 'checkpoint_epoch3_step300'].map((n) => join(OWN, 'enstack', n));
    const r = cli('inspect', ...dirs);
    expect(r.code).toBe(1);
    for (const d of dirs) checkBlock(block(r.stdout, d.split('/').pop()!), expectedOf(d));
    expect(r.stdout).toContain("last_checkpoint's end-of-epoch save was lost");
  });

  test('a training_state.pth given alone is named after its folder', () => {
    const dir = join(OWN, 'enstack', 'last_checkpoint');
    const r = cli('inspect', join(dir, 'training_state.pth'));
    expect(r.code).toBe(0);
    const b = block(r.stdout, 'last_checkpoint');
    expect(field(b, 'step')).toBe(String(expectedOf(dir).step));
    expect(field(b, 'model')).toBeUndefined(); // only the file given is read
    expect(r.stdout).toContain('Resuming from last_checkpoint will');
  });

  test('--batches-per-epoch adds the dataset-size finding', () => {
    const r = cli('inspect', join(OWN, 'enstack', 'last_checkpoint'), '--batches-per-epoch', '1600');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('was saved with 1500 batches per epoch; the dataset now gives 1600');
  });
});

describe('bad input', () => {
  /** The page's messages for each broken file (tests/safety.test.ts), by file. */
  const BAD: Record<string, RegExp> = {
    'empty.pth': /empty/,
    'truncated_half.pth': /ends early|cut short/,
    'truncated_tail_64.pth': /ends early|cut short/,
    'html_error_page.pth': /HTML page/,
    'lfs_pointer.pth': /git lfs pull/,
    'bitflip_in_pickle.pth': /CRC-32/,
    'bitflip_opcode_in_pickle.pth': /cannot be read/,
    'protocol6.pth': /protocol 6/,
    'protocol0_with_tensors.pth': /stored as text/,
  };

  test.each(Object.entries(BAD))('%s: exit 2 and the page\'s message naming the file', (name, message) => {
    const r = cli('inspect', join(OWN, 'bad', name));
    expect(r.code).toBe(2);
    // a file given alone is named with its folder, as in a folder drop
    const line = r.stdout.split('\n').find((l) => l.startsWith(`  problem: bad/${name}`));
    expect(line, r.stdout).toBeDefined();
    expect(line).toMatch(message);
    expect(r.stderr).toContain(`${name}`);
    expect(r.stderr).toMatch(message);
  });

  test('a dangerous pickle: exit 1, the global with its byte offset, the harmless fields still shown', () => {
    const r = cli('inspect', join(OWN, 'bad', 'malicious_os_system.pth'), '--json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { checkpoints: { progress: { epoch: number; step: number; totalBatches: number }; safety: { verdict: string; findings: { name: string; verdict: string; offset: number; member: string }[] } }[]; findings: { id: string }[] };
    const s = doc.checkpoints[0];
    expect(s.progress).toMatchObject({ epoch: 1, step: 5, totalBatches: 1270 });
    expect(s.safety.verdict).toBe('dangerous');
    const hit = s.safety.findings.find((f) => f.verdict === 'dangerous')!;
    expect(hit.name).toMatch(/^(posix|os)\.system$/);
    expect(hit.offset).toBeGreaterThan(0);
    expect(hit.member).toMatch(/data\.pkl$/);
    expect(doc.findings.some((f) => f.id.startsWith('dangerous:'))).toBe(true);
    const text = cli('inspect', join(OWN, 'bad', 'malicious_os_system.pth'));
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(new RegExp(`dangerous: [A-Z_]+ ${hit.name.replace('.', '\\.')} at byte ${hit.offset} of ${hit.member}`));
    expect(text.stdout).toContain('Dangerous: runs code when loaded');
  });

  test('the whole bad folder: every file has its own message, none hides another', () => {
    const r = cli('inspect', join(OWN, 'bad'));
    // 1, not 2: the folder holds a file that runs code, which wins over the unreadable ones (issue 12)
    expect(r.code).toBe(1);
    // files of a folder are named by their path in the drop, as on the page
    for (const [name, message] of Object.entries(BAD)) expect(r.stdout).toMatch(new RegExp(`problem: bad/${name.replace('.', '\\.')}.*${message.source}`));
    expect(r.stdout).toContain('posix.system');
  });

  test('a missing path, a file that is no checkpoint, a bad command or option: exit 2', () => {
    const missing = cli('inspect', 'no/such/folder');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no/such/folder: no such file or folder.');
    const none = cli('inspect', join(ROOT, 'README.md'));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no checkpoint found');
    expect(cli('frobnicate').code).toBe(2);
    const opt = cli('inspect', '--nope', join(OWN, 'enstack'));
    expect(opt.code).toBe(2);
    expect(opt.stderr).toContain("Unknown option '--nope'");
    expect(cli('inspect').code).toBe(2);
    expect(cli('--help').code).toBe(0);
  });
});

describe('mark-complete', () => {
  let tmp: string;
  const cases: { original: string; repaired: string; epoch: number }[] = [];

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ckptview-cli-'));
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** A fresh copy of fixture folder `rel` in the temp dir. */
  function copy(rel: string, as: string): string {
    const dst = join(tmp, as);
    cpSync(join(OWN, rel), dst, { recursive: true });
    return dst;
  }

  test('marks the saved epoch complete: backup is the original, the repaired file says step 0', () => {
    const dir = copy('enstack/last_checkpoint', 'a/last_checkpoint');
    const original = join(OWN, 'enstack', 'last_checkpoint', 'training_state.pth');
    const e = expectedOf(dir);
    const r = cli('mark-complete', dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`epoch ${e.epoch}, step ${e.step} of ${e.total_batches}: a resume will ${e.resume}.`);
    expect(r.stdout).toContain(`Marked epoch ${e.epoch} complete: epoch ${e.epoch} -> ${e.epoch}, step ${e.step} -> 0; a resume will now start epoch ${e.epoch + 1}.`);
    const state = join(dir, 'training_state.pth');
    expect(readFileSync(`${state}.backup`).equals(readFileSync(original))).toBe(true);
    expect(statSync(state).size).toBe(statSync(original).size); // patched in place
    expect(readdirNames(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    // what the page would now show: complete, and the optimizer's 2700 steps now fall short of the
    // 2 x 1500 the trainer expects at the end of epoch 2 (a warning finding: exit 1)
    const after = cli('inspect', dir);
    expect(after.code).toBe(1);
    expect(after.stdout).toContain(`the optimizer took ${e.optimizer_steps} steps but epoch ${e.epoch} step 0 means ${e.epoch * e.total_batches} batches`);
    const b = block(after.stdout, 'last_checkpoint');
    expect(field(b, 'step')).toBe('0');
    expect(b).toContain(`Epoch ${e.epoch} is complete: a resume starts epoch ${e.epoch + 1}.`);
    expect(field(b, 'best F1')).toBe(e.best_val_f1.toFixed(4));
    expect(field(b, 'optimizer')).toBe(`present: ${e.optimizer_param_states} parameter states, ${e.optimizer_steps} steps`);
    cases.push({ original, repaired: state, epoch: e.epoch });
  });

  test('refuses to overwrite a backup without --force; --force and a wider epoch re-lay the archive', () => {
    const dir = copy('enstack/last_checkpoint', 'b/last_checkpoint');
    const state = join(dir, 'training_state.pth');
    writeFileSync(`${state}.backup`, 'an older backup');
    const before = readFileSync(state);
    const refused = cli('mark-complete', dir, '--epoch', '3');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('training_state.pth.backup already exists');
    expect(readFileSync(state).equals(before)).toBe(true);
    expect(readFileSync(`${state}.backup`, 'utf8')).toBe('an older backup');
    const forced = cli('mark-complete', state, '--epoch', '70000', '--force', '--copy-backup');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('a byte copy');
    expect(forced.stdout).toContain('archive re-laid');
    expect(readFileSync(`${state}.backup`).equals(before)).toBe(true);
    expect(statSync(`${state}.backup`).ino).not.toBe(statSync(state).ino);
    cases.push({ original: join(OWN, 'enstack', 'last_checkpoint', 'training_state.pth'), repaired: state, epoch: 70000 });
  });

  test('legacy (pre-1.6) format and a wide epoch opcode', () => {
    for (const rel of ['torch_legacy_format/last_checkpoint', 'wide_epoch/last_checkpoint']) {
      const dir = copy(rel, `c/${rel}`);
      const e = expectedOf(dir);
      const r = cli('mark-complete', dir, '--epoch', String(e.epoch + 1));
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(join(dir, 'training_state.pth.backup')).equals(readFileSync(join(OWN, rel, 'training_state.pth')))).toBe(true);
      cases.push({ original: join(OWN, rel, 'training_state.pth'), repaired: join(dir, 'training_state.pth'), epoch: e.epoch + 1 });
    }
  });

  test('bad input: exit 2, nothing written', () => {
    const bad = join(tmp, 'bad');
    cpSync(join(OWN, 'bad'), bad, { recursive: true });
    const crc = cli('mark-complete', join(bad, 'bitflip_in_pickle.pth'));
    expect(crc.code).toBe(2);
    expect(crc.stderr).toMatch(/bitflip_in_pickle\.pth.*CRC-32/);
    const html = cli('mark-complete', join(bad, 'html_error_page.pth'));
    expect(html.code).toBe(2);
    expect(html.stderr).toMatch(/html_error_page\.pth: this is an HTML page/);
    expect(cli('mark-complete', join(tmp, 'missing')).stderr).toContain('no such file or folder');
    expect(cli('mark-complete', join(tmp, 'missing')).code).toBe(2);
    expect(cli('mark-complete', bad).stderr).toContain('has no training_state.pth');
    const dir = copy('enstack/last_checkpoint', 'd/last_checkpoint');
    for (const epoch of ['0', 'two', '-1', '2000000']) {
      const r = cli('mark-complete', dir, `--epoch=${epoch}`);
      expect(r.code, epoch).toBe(2);
    }
    expect(readdirNames(bad).filter((n) => n.endsWith('.backup') || n.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(join(dir, 'training_state.pth.backup'))).toBe(false);
  });

  test('torch.load reads every repaired file back: new epoch, step 0, every other value and tensor equal', () => {
    expect(cases.length).toBe(4);
    const file = join(tmp, 'cases.json');
    writeFileSync(file, JSON.stringify(cases));
    const results = runPythonJson<{ repaired: string; ok: boolean; problems: string[]; epoch: number; step: number }[]>([join(ROOT, 'scripts', 'check_repair.py'), file]);
    for (const [i, r] of results.entries()) {
      expect(r.problems, r.repaired).toEqual([]);
      expect(r.ok).toBe(true);
      expect(r.epoch).toBe(cases[i].epoch);
      expect(r.step).toBe(0);
    }
  }, 120_000);
});

test('the package bin runs through npx', () => {
  const r = spawnSync('npx', ['--no', 'ckptview', 'inspect', join(OWN, 'enstack', 'best_model')], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toContain('Epoch 2 is complete: a resume starts epoch 3.');
});

function readdirNames(dir: string): string[] {
  return readdirSync(dir);
}
