/**
 * `npm run bench -- --health` (issue 17): the tensor health scan and the checkpoint diff on 1 GB
 * torch.save files, in the page, in the CLI and with torch, side by side.
 *
 * Into a temp folder (deleted at the end): one ~1 GB EnStack training_state.pth written by real
 * PyTorch (`scripts/make_fixtures.py --large`), then A = that file with NaN put into two tensors and
 * B = A with one tensor changed (`bench/health_probe.py prepare`, torch.load + torch.save).
 * Measured, `--runs` times each (default 3; medians in the table):
 * - health: `torch.load` + `torch.isnan(t).sum()` over every tensor in a fresh Python
 *   (bench/health_probe.py), `node bin/ckptview.mjs health <folder>` as a process, and the page
 *   (click "Check tensor health" -> report; bench/healthPage.ts); NaN counts compared per tensor;
 * - diff: torch.load of both + torch.equal per tensor, `node bin/ckptview.mjs diff A B`, and the
 *   page's "Compare with"; bytes read counted in-process (bench/healthCoreProbe.ts).
 *
 * Prints a summary and replaces the health section of BENCHMARKS.md between its markers (inserted
 * before "## Run it" when absent), leaving the rest alone. Options: --no-write, --no-browser,
 * --runs=N, --megabytes=N (file size, default 1024). Port: HEALTH_PORT (default 4975).
 */
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSite, startPreview, type Preview } from './browser';
import { generateCheckpoint, PYTHON } from './generate';
import { pageDiff, pageHealth, type PageRun } from './healthPage';
import { consoleSummary, renderHealthSection, writeHealthSection, type CliDiffOut, type CliHealthOut, type CoreOut, type HealthResults, type Measured, type TorchOut } from './healthReport';
import { machineInfo, packageVersion, uptime } from './machine';
import { measureProcess, type ProcessRun } from './measureProcess';
import { size } from './stats';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PORT = Number(process.env.HEALTH_PORT ?? 4975);
const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => Number(args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const RUNS = option('runs', 3);
const MEGABYTES = option('megabytes', 1024);
const write = !args.includes('--no-write');
const withBrowser = !args.includes('--no-browser');
const PROBE = join(ROOT, 'bench', 'health_probe.py');
const BIN = join(ROOT, 'bin', 'ckptview.mjs');
const TIMEOUT = 15 * 60_000;

const started = performance.now();
const log = (s: string): void => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${s}`);

/** The last line of a process's stdout as JSON. */
function lastJson<T>(r: ProcessRun, what: string): T {
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(`${what}: exit ${r.code}, no JSON on stdout: ${r.stderr.slice(-800)}`);
  }
}

/** Run `cmd args` `RUNS` times, measured, parsing each run's output with `parse`. */
async function repeat<T>(label: string, cmd: string, argv: string[], parse: (r: ProcessRun) => T): Promise<Measured<T>[]> {
  const out: Measured<T>[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await measureProcess(cmd, argv, { cwd: ROOT, timeoutMs: TIMEOUT });
    out.push({ run, out: parse(run) });
    log(`${label} run ${i + 1}: ${(run.wallMs / 1000).toFixed(2)} s, peak ${size(run.maxRss)}`);
  }
  return out;
}

interface CliJsonHealth {
  checkpoints: { files: { tensors: { name: string; nan: number }[] }[] }[];
}

function cliHealth(r: ProcessRun): CliHealthOut {
  if (r.code !== 0 && r.code !== 1) throw new Error(`ckptview health: exit ${r.code}: ${r.stderr.slice(-800)}`);
  const j = JSON.parse(r.stdout) as CliJsonHealth;
  const nan: Record<string, number> = {};
  for (const c of j.checkpoints) for (const f of c.files) for (const t of f.tensors) if (t.nan > 0) nan[t.name] = t.nan;
  return { nan, stats: r.stderr.split('\n').find((l) => l.startsWith('ckptview:')) ?? '' };
}

interface CliJsonDiff {
  diffs: { tensors: { name: string; status: string }[] }[];
}

function cliDiff(r: ProcessRun): CliDiffOut {
  if (r.code !== 0 && r.code !== 1) throw new Error(`ckptview diff: exit ${r.code}: ${r.stderr.slice(-800)}`);
  const t = (JSON.parse(r.stdout) as CliJsonDiff).diffs[0]?.tensors ?? [];
  return { changed: t.filter((x) => x.status !== 'identical').map((x) => x.name), identical: t.filter((x) => x.status === 'identical').length };
}

function core(argv: string[]): CoreOut {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'healthCoreProbe.ts'), ...argv], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop() ?? '') as CoreOut;
}

/** Write A (NaN planted) and B (one tensor changed) in the layout the page and CLI read. */
function prepare(tmp: string): { a: string; b: string; healthDir: string; pairDir: string; planted: HealthResults['planted']; generation: string } {
  log(`writing a ${MEGABYTES} MiB checkpoint with PyTorch (make_fixtures.py --large)`);
  const gen = generateCheckpoint(ROOT, join(tmp, 'gen'), MEGABYTES);
  const healthDir = join(tmp, 'health');
  const pairDir = join(tmp, 'pair');
  const a = join(healthDir, 'last_checkpoint', 'training_state.pth');
  const b = join(pairDir, 'checkpoint_epoch1_step1100', 'training_state.pth');
  for (const p of [a, b, join(pairDir, 'checkpoint_epoch1_step1000', 'x')]) mkdirSync(dirname(p), { recursive: true });
  log('health_probe.py prepare: NaN into two tensors (A), then one tensor changed (B)');
  const out = execFileSync(PYTHON, [PROBE, 'prepare', gen.path, a, b], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const printed = JSON.parse(out.trim().split('\n').pop() ?? '') as HealthResults['planted'];
  const planted = { nan: printed.nan, changed: printed.changed };
  linkSync(a, join(pairDir, 'checkpoint_epoch1_step1000', 'training_state.pth'));
  rmSync(join(tmp, 'gen'), { recursive: true, force: true });
  const generation = `\`scripts/make_fixtures.py --large --megabytes ${MEGABYTES}\` wrote an EnStack training_state.pth (AdamW state of 4 square layers: ${gen.optimizer_param_states} parameter states, float32 exp_avg / exp_avg_sq, epoch ${gen.epoch} step ${gen.step}) of ${gen.bytes.toLocaleString('en-US')} bytes in ${(gen.ms / 1000).toFixed(1)} s;`;
  return { a, b, healthDir, pairDir, planted, generation };
}

/** The page runs: health of A's folder, diff in the pair folder. */
async function page(tmp: string, healthDir: string, pairDir: string): Promise<{ health: PageRun[]; diff: PageRun[]; error?: string }> {
  const health: PageRun[] = [];
  const diff: PageRun[] = [];
  let preview: Preview | undefined;
  try {
    log('page: vite build into the temp folder');
    const built = await buildSite(ROOT, join(tmp, 'site'));
    if (!built.ok) throw new Error(`vite build failed: ${built.log}`);
    preview = await startPreview(ROOT, join(tmp, 'site'), PORT);
    for (let i = 0; i < RUNS; i++) {
      const r = await pageHealth(preview.url, healthDir);
      health.push(r);
      log(`page health run ${i + 1}: ${(r.reportMs / 1000).toFixed(2)} s, renderer peak ${size(r.chromium.hwmByType.renderer)}, worker heap ${size(r.worker?.usedPeak)} + ${size(r.worker?.backingPeak)} ArrayBuffers${r.workerError ? ` (${r.workerError})` : ''}; "${r.shown}"`);
    }
    for (let i = 0; i < RUNS; i++) {
      const r = await pageDiff(preview.url, pairDir);
      diff.push(r);
      log(`page diff run ${i + 1}: ${(r.reportMs / 1000).toFixed(2)} s, renderer peak ${size(r.chromium.hwmByType.renderer)}; "${r.shown}"`);
    }
    return { health, diff };
  } catch (e) {
    log(`page part failed: ${(e as Error).message}`);
    return { health, diff, error: (e as Error).message.slice(0, 300) };
  } finally {
    preview?.stop();
  }
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'ckptview-health-'));
  process.on('SIGINT', () => {
    rmSync(tmp, { recursive: true, force: true });
    process.exit(130);
  });
  const loadStart = uptime();
  log(`uptime at start: ${loadStart}`);
  try {
    const machine = machineInfo(ROOT, tmp);
    log('npm run build:cli (bin/ckptview.mjs runs dist-cli/)');
    execFileSync('npx', ['vite', 'build', '-c', 'vite.cli.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    const p = prepare(tmp);
    log(`A ${statSync(p.a).size} bytes, B ${statSync(p.b).size} bytes; planted ${JSON.stringify(p.planted)}`);

    const torchHealth = await repeat('torch health', PYTHON, [PROBE, 'health', p.a], (r) => lastJson<TorchOut>(r, 'health_probe.py health'));
    const cliHealthRuns = await repeat('CLI health', process.execPath, [BIN, 'health', p.healthDir, '--json', '--stats'], cliHealth);
    const coreHealth = core(['health', p.healthDir]);
    log(`core health: ${size(coreHealth.bytesRead)} in ${coreHealth.reads} reads`);
    const torchDiff = await repeat('torch diff', PYTHON, [PROBE, 'diff', p.a, p.b], (r) => lastJson<TorchOut>(r, 'health_probe.py diff'));
    const cliDiffRuns = await repeat('CLI diff', process.execPath, [BIN, 'diff', p.a, p.b, '--json'], cliDiff);
    const coreDiff = core(['diff', p.a, p.b]);
    log(`core diff: ${size(coreDiff.bytesRead)} in ${coreDiff.reads} reads; changed ${JSON.stringify(coreDiff.changed)}`);
    const pg = withBrowser ? await page(tmp, p.healthDir, p.pairDir) : { health: [], diff: [], error: 'skipped by --no-browser' };

    const loadEnd = uptime();
    log(`uptime at end: ${loadEnd}`);
    const torch = torchHealth[0]?.out.torch ?? '?';
    const results: HealthResults = {
      startedAt: new Date(Date.now() - (performance.now() - started)).toISOString().replace(/\.\d+Z$/, 'Z'),
      seconds: (performance.now() - started) / 1000,
      command: `npm run bench -- ${args.join(' ')}`,
      loadStart,
      loadEnd,
      machine: `${machine.cpuModel}, ${machine.nproc} cores, ${size(machine.memoryBytes)} RAM, Linux ${machine.kernel}`,
      versions: `Node ${process.version}, torch ${torch} (Debian python3-torch, /usr/bin/python3), Playwright ${packageVersion(ROOT, '@playwright/test')}`,
      fileA: statSync(p.a).size,
      fileB: statSync(p.b).size,
      generation: p.generation,
      planted: p.planted,
      torchHealth,
      cliHealth: cliHealthRuns,
      coreHealth,
      torchDiff,
      cliDiff: cliDiffRuns,
      coreDiff,
      pageHealth: pg.health,
      pageDiff: pg.diff,
      pageError: pg.error,
      chromium: pg.health[0]?.version ?? pg.diff[0]?.version,
      port: PORT,
    };
    for (const l of consoleSummary(results)) log(l);
    const section = renderHealthSection(results);
    console.log(`\n${section}\n`);
    mkdirSync(join(ROOT, 'bench', 'out'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'out', 'health.json'), JSON.stringify(results, null, 1));
    if (write) {
      writeHealthSection(join(ROOT, 'BENCHMARKS.md'), section);
      log('wrote the health section of BENCHMARKS.md and bench/out/health.json');
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    log('temp folder deleted');
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
