/**
 * Every non-browser measurement on one generated checkpoint: the core in-process, the CLI as a
 * process, torch.load, the repair both ways, a plain file copy (the floor of any repair that keeps
 * a backup and replaces the file atomically), and JSZip.
 */
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyWithoutZip64Records, PYTHON, type Generated, type Zip64Info } from './generate';
import { measureProcess, type ProcessRun } from './measureProcess';

/** bench/coreProbe.ts output. */
export interface CoreProbe {
  readonly summaryMs: number[];
  readonly summary: Record<string, unknown>;
  readonly bytesRead: number;
  readonly reads: number;
  readonly repairMs: number[];
  readonly repair: { ok: boolean; problems: string[]; mode: string; newBytes: number; bytesRead: number; reads: number };
  readonly memory: { start: { rss: number; maxRss: number }; afterSummary: { rss: number; maxRss: number }; afterRepair: { rss: number; maxRss: number } };
}

/** bench/torch_probe.py output. */
export interface TorchProbe {
  readonly import_s: number;
  readonly maxrss_after_import: number;
  readonly maxrss: number;
  readonly load_s?: number;
  readonly save_s?: number;
  readonly backup_s?: number;
  readonly reload_s?: number;
  readonly epoch?: number;
  readonly step?: number;
  readonly total_batches?: number;
  readonly best_val_f1?: number;
  readonly best_val_acc?: number;
}

/** bench/jszipProbe.ts output. */
export interface JszipProbe {
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
  readonly pklBytes?: number;
  readonly bytesRead?: number;
  readonly start: { rss: number; maxRss: number };
  readonly maxRss: number;
}

/** A measured process with its parsed JSON output. */
export interface Probed<T> {
  readonly run: ProcessRun;
  readonly data: T;
}

/** Phases of `mark-complete --stats`, in ms, plus bytes read to plan and verify. */
export interface RepairStats {
  readonly bytesRead: number;
  readonly planMs: number;
  readonly phases: Record<string, number>;
  readonly totalMs: number;
}

/** Everything measured for one size. */
export interface SizeResult {
  readonly label: string;
  readonly gen: Generated;
  readonly zip: Zip64Info;
  readonly core?: CoreProbe;
  readonly coreError?: string;
  readonly cliInspect: ProcessRun[];
  readonly cliInspectBundled: ProcessRun[];
  /** Did the CLI's JSON agree with torch.load's values? Sentences of disagreement (empty = agree). */
  readonly disagreements: string[];
  readonly torchLoad: Probed<TorchProbe>[];
  readonly cliRepair: { run: ProcessRun; stats?: RepairStats }[];
  readonly cliRepairCopy: { run: ProcessRun; stats?: RepairStats }[];
  /** scripts/check_repair.py on the first repaired file: torch.load agrees. */
  readonly repairChecked?: { ok: boolean; problems: string[] };
  readonly cp: ProcessRun[];
  readonly pyLoadSave: Probed<TorchProbe>[];
  readonly pySeedFix: Probed<TorchProbe>[];
  readonly jszip: Probed<JszipProbe>[];
  readonly jszipStripped: Probed<JszipProbe>[];
}

/** How many runs of each kind. */
export interface Runs {
  readonly core: number;
  readonly cli: number;
  readonly torchLoad: number;
  readonly repair: number;
  readonly pyRepair: number;
  readonly jszip: number;
}

/** The commands to run the CLI: the package bin (through tsx) and a bundled build. */
export interface CliCommands {
  readonly bin: string;
  readonly bundle?: string;
}

function parseJsonLine<T>(r: ProcessRun, what: string): T {
  const lines = r.stdout.trim().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1]) as T;
  } catch {
    throw new Error(`${what} failed (exit ${r.code}): ${r.stderr.slice(-1500)}`);
  }
}

/** Parse `ckptview mark-complete --stats`. */
export function parseRepairStats(stderr: string): RepairStats | undefined {
  const m = /read (\d+) bytes in \d+ reads to plan and verify \(([\d.]+) ms\).*\(ms: ([^)]*)\); ([\d.]+) ms in all/.exec(stderr);
  if (!m) return undefined;
  const phases = Object.fromEntries(m[3].split(', ').map((kv) => {
    const [k, v] = kv.split(' ');
    return [k, Number(v)];
  }));
  return { bytesRead: Number(m[1]), planMs: Number(m[2]), phases, totalMs: Number(m[4]) };
}

/** Flush dirty pages so a previous run's writes do not slow the next one. */
function syncDisks(): void {
  try {
    execFileSync('sync');
  } catch {
    // not fatal
  }
}

/** Compare the CLI's JSON summary with torch.load's values. */
function disagreements(cliJson: string, t: TorchProbe | undefined, g: Generated): string[] {
  const out: string[] = [];
  let s: { progress?: { epoch: number; step: number; totalBatches: number; progressPercent: number; resume: { text: string } }; bestValF1?: number; bestValAcc?: number };
  try {
    s = (JSON.parse(cliJson) as { checkpoints: (typeof s)[] }).checkpoints[0];
  } catch {
    return ['the CLI printed no JSON'];
  }
  const want: [string, unknown, unknown][] = [
    ['epoch', s.progress?.epoch, t?.epoch ?? g.epoch],
    ['step', s.progress?.step, t?.step ?? g.step],
    ['total_batches', s.progress?.totalBatches, t?.total_batches ?? g.total_batches],
    ['progress %', s.progress?.progressPercent, g.progress_percent],
    ['resume', s.progress?.resume.text, g.resume],
  ];
  if (t) want.push(['best_val_f1', s.bestValF1, t.best_val_f1], ['best_val_acc', s.bestValAcc, t.best_val_acc]);
  for (const [k, a, b] of want) if (a !== b) out.push(`${k}: ckptview ${String(a)}, torch.load ${String(b)}`);
  return out;
}

/**
 * Measure one generated checkpoint (`dir/last_checkpoint/training_state.pth`).
 * @param log progress lines for the console
 */
export async function measureSize(root: string, tmp: string, label: string, dir: string, gen: Generated, zip: Zip64Info, runs: Runs, cli: CliCommands, log: (s: string) => void): Promise<SizeResult> {
  const file = gen.path;
  const ckpt = join(dir, 'last_checkpoint');
  const tsxNode = ['--import', 'tsx'];

  log(`${label}: core in-process (${runs.core} runs)`);
  let core: CoreProbe | undefined;
  let coreError: string | undefined;
  try {
    const r = await measureProcess(process.execPath, ['--expose-gc', ...tsxNode, join(root, 'bench', 'coreProbe.ts'), ckpt, String(runs.core), String(gen.epoch)], { cwd: root });
    core = parseJsonLine<CoreProbe>(r, 'coreProbe');
  } catch (e) {
    coreError = (e as Error).message;
  }

  log(`${label}: torch.load (${runs.torchLoad} runs)`);
  const torchLoad: Probed<TorchProbe>[] = [];
  for (let i = 0; i < runs.torchLoad; i++) {
    const r = await measureProcess(PYTHON, [join(root, 'bench', 'torch_probe.py'), 'load', file], { cwd: root });
    torchLoad.push({ run: r, data: parseJsonLine<TorchProbe>(r, 'torch.load') });
  }

  log(`${label}: CLI inspect as a process (${runs.cli} runs each: bin, bundle)`);
  const cliInspect: ProcessRun[] = [];
  const cliInspectBundled: ProcessRun[] = [];
  for (let i = 0; i < runs.cli; i++) {
    cliInspect.push(await measureProcess(process.execPath, [cli.bin, 'inspect', ckpt, '--json'], { cwd: root }));
    if (cli.bundle) cliInspectBundled.push(await measureProcess(process.execPath, [cli.bundle, 'inspect', ckpt, '--json'], { cwd: root }));
  }
  const dis = disagreements(cliInspect[0]?.stdout ?? '', torchLoad[0]?.data, gen);

  log(`${label}: cp (floor of a repair that keeps a backup), ${runs.repair} runs`);
  const cp: ProcessRun[] = [];
  for (let i = 0; i < runs.repair; i++) {
    const dst = join(tmp, 'cp-copy.pth');
    syncDisks();
    cp.push(await measureProcess('cp', [file, dst]));
    rmSync(dst, { force: true });
  }

  const repairRuns = async (copyBackup: boolean, check: boolean): Promise<{ runs: { run: ProcessRun; stats?: RepairStats }[]; checked?: { ok: boolean; problems: string[] } }> => {
    const out: { run: ProcessRun; stats?: RepairStats }[] = [];
    let checked: { ok: boolean; problems: string[] } | undefined;
    for (let i = 0; i < runs.repair; i++) {
      const work = join(tmp, `repair-${i}`, 'last_checkpoint');
      mkdirSync(work, { recursive: true });
      linkSync(file, join(work, 'training_state.pth')); // the original stays untouched: the repair renames a new file over this name
      syncDisks();
      const r = await measureProcess(process.execPath, [cli.bin, 'mark-complete', work, '--stats', ...(copyBackup ? ['--copy-backup'] : [])], { cwd: root });
      out.push({ run: r, stats: parseRepairStats(r.stderr) });
      if (r.code !== 0) log(`  mark-complete failed: ${r.stderr.slice(-500)}`);
      if (check && i === 0 && r.code === 0) {
        log(`${label}: checking the repaired file with torch.load (scripts/check_repair.py)`);
        const cases = join(tmp, 'cases.json');
        writeFileSync(cases, JSON.stringify([{ original: file, repaired: join(work, 'training_state.pth'), epoch: gen.epoch }]));
        try {
          const res = JSON.parse(execFileSync(PYTHON, [join(root, 'scripts', 'check_repair.py'), cases], { encoding: 'utf8', maxBuffer: 16 << 20 }).trim().split('\n').pop()!) as { ok: boolean; problems: string[] }[];
          checked = { ok: res[0].ok, problems: res[0].problems };
        } catch (e) {
          checked = { ok: false, problems: [(e as Error).message.slice(0, 500)] };
        }
      }
      rmSync(join(tmp, `repair-${i}`), { recursive: true, force: true });
    }
    return { runs: out, checked };
  };
  log(`${label}: ckptview mark-complete (${runs.repair} runs, backup as hard link; then --copy-backup)`);
  const linked = await repairRuns(false, true);
  const copied = await repairRuns(true, false);

  log(`${label}: Python load + save (${runs.pyRepair} runs), seed fix flow (${runs.pyRepair} runs)`);
  const pyLoadSave: Probed<TorchProbe>[] = [];
  const pySeedFix: Probed<TorchProbe>[] = [];
  const out = join(tmp, 'py-out.pth');
  for (let i = 0; i < runs.pyRepair; i++) {
    syncDisks();
    const r = await measureProcess(PYTHON, [join(root, 'bench', 'torch_probe.py'), 'loadsave', file, out, String(gen.epoch)], { cwd: root });
    pyLoadSave.push({ run: r, data: parseJsonLine<TorchProbe>(r, 'load+save') });
    rmSync(out, { force: true });
  }
  for (let i = 0; i < runs.pyRepair; i++) {
    syncDisks();
    const r = await measureProcess(PYTHON, [join(root, 'bench', 'torch_probe.py'), 'seedfix', file, out, String(gen.epoch)], { cwd: root });
    pySeedFix.push({ run: r, data: parseJsonLine<TorchProbe>(r, 'seed fix') });
    rmSync(out, { force: true });
    rmSync(`${out}.backup`, { force: true });
  }

  log(`${label}: JSZip (${runs.jszip} runs on the torch file, ${runs.jszip} on a copy without ZIP64 end records)`);
  const jszip: Probed<JszipProbe>[] = [];
  const jszipStripped: Probed<JszipProbe>[] = [];
  for (let i = 0; i < runs.jszip; i++) {
    const r = await measureProcess(process.execPath, [...tsxNode, join(root, 'bench', 'jszipProbe.ts'), file], { cwd: root });
    jszip.push({ run: r, data: parseJsonLine<JszipProbe>(r, 'jszip') });
  }
  const stripped = join(tmp, 'no-zip64-records.pth');
  if (copyWithoutZip64Records(file, stripped)) {
    for (let i = 0; i < runs.jszip; i++) {
      const r = await measureProcess(process.execPath, [...tsxNode, join(root, 'bench', 'jszipProbe.ts'), stripped], { cwd: root });
      jszipStripped.push({ run: r, data: parseJsonLine<JszipProbe>(r, 'jszip') });
    }
    rmSync(stripped, { force: true });
  }

  return {
    label,
    gen,
    zip,
    core,
    coreError,
    cliInspect,
    cliInspectBundled,
    disagreements: dis,
    torchLoad,
    cliRepair: linked.runs,
    cliRepairCopy: copied.runs,
    repairChecked: linked.checked,
    cp,
    pyLoadSave,
    pySeedFix,
    jszip,
    jszipStripped,
  };
}
