/**
 * `npm run bench`: ckptview against what users run today (torch.load, load + save), JSZip, and
 * the page in Chromium, on checkpoints of ~10 MB, ~100 MB, ~1 GB and one over 4 GiB (ZIP64)
 * written by real PyTorch into a temp folder that is deleted afterwards. Writes BENCHMARKS.md.
 *
 * Options: --quick (10 MB and 100 MB, few runs; writes bench/out/BENCHMARKS.quick.md),
 * --no-browser, --no-zip64; --scale runs only the many-checkpoints benchmark (bench/scale.ts);
 * --health only the tensor health / diff benchmark (bench/health.ts).
 * Not part of `npm test`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { keepSections } from './benchmarksFile';
import { freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { Browser } from '@playwright/test';
import { buildSite, launch, measureBlobReads, measureDrop, startPreview, type BrowserRun, type Preview } from './browser';
import { generateCheckpoint, hundredFolders, PYTHON, zip64Info } from './generate';
import { machineInfo } from './machine';
import { measureProcess, type ProcessRun } from './measureProcess';
import { measureSize, type Runs, type SizeResult } from './measureSize';
import { renderReport, type BenchResults, type BrowserResults } from './report';
import { size } from './stats';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const withBrowser = !args.includes('--no-browser');
const withZip64 = !quick && !args.includes('--no-zip64');

/** Size of the ZIP64 file in MiB: over 4 GiB (4096 MiB) with a margin. */
const ZIP64_MB = 4400;
/** Free space and memory the ZIP64 file needs: the file, a second full copy (repair / save output) and a backup copy, plus torch.load holding it all. */
const ZIP64_DISK = 3.2 * ZIP64_MB * 1024 * 1024 + 4e9;
const ZIP64_MEMORY = 12e9;

const started = performance.now();
const log = (s: string): void => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${s}`);

/** Bundle the CLI into one JS file (so startup cost without tsx can be shown). */
async function bundleCli(outDir: string): Promise<string> {
  await build({
    configFile: false,
    root: ROOT,
    publicDir: false,
    logLevel: 'warn',
    ssr: { noExternal: true },
    build: { ssr: join(ROOT, 'src', 'cli', 'main.ts'), outDir, emptyOutDir: true, target: 'node20', minify: false, sourcemap: false },
  });
  return join(outDir, 'main.js');
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'ckptview-bench-'));
  let preview: Preview | undefined;
  let browser: Browser | undefined;
  const cleanup = (): void => {
    preview?.stop();
    rmSync(tmp, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    const machine = machineInfo(ROOT, tmp);
    log(`machine: ${machine.cpuModel}, ${machine.nproc} cores, ${size(machine.memoryBytes)}; temp ${tmp} (${machine.tmpFs}, ${size(machine.tmpFreeBytes)} free)`);
    log(`df -h ${tmpdir()}:\n${machine.dfTmp}`);
    const python = JSON.parse(execFileSync(PYTHON, [join(ROOT, 'bench', 'torch_probe.py'), 'versions'], { encoding: 'utf8' }).trim()) as BenchResults['python'];
    log(`torch ${python.torch}, numpy ${python.numpy}, node ${process.version}`);

    const sizes: { label: string; mb: number; runs: Runs }[] = quick
      ? [
          { label: '10 MB', mb: 10, runs: { core: 5, cli: 2, torchLoad: 2, repair: 2, pyRepair: 1, jszip: 1 } },
          { label: '100 MB', mb: 100, runs: { core: 5, cli: 2, torchLoad: 2, repair: 2, pyRepair: 1, jszip: 1 } },
        ]
      : [
          { label: '10 MB', mb: 10, runs: { core: 20, cli: 5, torchLoad: 5, repair: 5, pyRepair: 3, jszip: 3 } },
          { label: '100 MB', mb: 100, runs: { core: 20, cli: 5, torchLoad: 5, repair: 5, pyRepair: 3, jszip: 3 } },
          { label: '1 GB', mb: 1024, runs: { core: 20, cli: 5, torchLoad: 3, repair: 3, pyRepair: 3, jszip: 3 } },
        ];
    let zip64Skipped: string | undefined;
    if (withZip64) {
      if (machine.tmpFreeBytes < ZIP64_DISK) zip64Skipped = `only ${size(machine.tmpFreeBytes)} free in ${tmpdir()}, ${size(ZIP64_DISK)} needed.`;
      else if (totalmem() < ZIP64_MEMORY) zip64Skipped = `${size(totalmem())} of memory; torch.load of a 4.3 GiB file needs about ${size(ZIP64_MEMORY)}.`;
      else sizes.push({ label: '4.3 GiB (ZIP64)', mb: ZIP64_MB, runs: { core: 20, cli: 5, torchLoad: 3, repair: 3, pyRepair: 2, jszip: 1 } });
    } else zip64Skipped = quick ? 'skipped by --quick.' : 'skipped by --no-zip64.';
    if (zip64Skipped) log(`ZIP64 file: ${zip64Skipped}`);

    log('bundling the CLI (vite build --ssr src/cli/main.ts)');
    const bin = join(ROOT, 'bin', 'ckptview.mjs');
    let bundle: string | undefined;
    let bundleError: string | undefined;
    try {
      bundle = await bundleCli(join(tmp, 'cli-bundle'));
    } catch (e) {
      bundleError = (e as Error).message.slice(0, 300);
      log(`bundle failed: ${bundleError}`);
    }
    const cliBaseline: ProcessRun[] = [];
    const cliBaselineBundled: ProcessRun[] = [];
    const nodeBare: ProcessRun[] = [];
    for (let i = 0; i < 5; i++) {
      nodeBare.push(await measureProcess(process.execPath, ['-e', '0']));
      cliBaseline.push(await measureProcess(process.execPath, [bin, '--version'], { cwd: ROOT }));
      if (bundle) cliBaselineBundled.push(await measureProcess(process.execPath, [bundle, '--version'], { cwd: ROOT }));
    }

    const results: SizeResult[] = [];
    const dirs = new Map<string, string>();
    for (const s of sizes) {
      const dir = join(tmp, `size-${s.mb}`);
      mkdirSync(dir, { recursive: true });
      log(`${s.label}: writing training_state.pth with PyTorch (make_fixtures.py --large --megabytes ${s.mb})`);
      const gen = generateCheckpoint(ROOT, dir, s.mb);
      const zip = zip64Info(gen.path);
      log(`${s.label}: ${gen.bytes} bytes in ${(gen.ms / 1000).toFixed(1)} s; ZIP64 end records ${zip.hasZip64Records ? 'present' : 'absent'}${zip.needsZip64 ? ', offsets past 4 GiB: ZIP64 required' : ''}; ${size(freemem())} memory free`);
      dirs.set(s.label, dir);
      results.push(await measureSize(ROOT, tmp, s.label, dir, gen, zip, s.runs, { bin, bundle }, log));
    }

    // 100 checkpoint folders, each a hard link of the 10 MB file
    let hundred: BenchResults['hundred'];
    const small = results.find((r) => r.label === '10 MB');
    let hundredDir: string | undefined;
    if (small) {
      hundredDir = hundredFolders(tmp, small.gen.path, 100);
      const h = { bin: [] as ProcessRun[], bundle: [] as ProcessRun[], folders: 100, bytes: 100 * statSync(small.gen.path).size };
      log('100 folders: CLI inspect as a process');
      for (let i = 0; i < (quick ? 2 : 5); i++) {
        h.bin.push(await measureProcess(process.execPath, [bin, 'inspect', hundredDir, '--json'], { cwd: ROOT }));
        if (bundle) h.bundle.push(await measureProcess(process.execPath, [bundle, 'inspect', hundredDir, '--json'], { cwd: ROOT }));
      }
      hundred = h;
    }

    let browserResults: BrowserResults | undefined;
    if (withBrowser) {
      const status: Record<string, BrowserRun[]> = {};
      let table: BrowserRun[] | undefined;
      try {
        log('browser: vite build into the temp folder');
        const site = join(tmp, 'site');
        const built = await buildSite(ROOT, site);
        if (!built.ok) throw new Error(`vite build failed: ${built.log}`);
        preview = await startPreview(ROOT, site);
        browser = await launch();
        const runs = quick ? 2 : 5;
        const first = dirs.values().next().value as string;
        await measureDrop(browser, preview.url, join(first, 'last_checkpoint'), 0); // warm-up, discarded
        for (const s of sizes) {
          log(`browser: ${s.label} folder until the status card shows (${runs} runs)`);
          status[s.label] = [];
          for (let i = 0; i < runs; i++) status[s.label].push(await measureDrop(browser, preview.url, join(dirs.get(s.label)!, 'last_checkpoint'), 0));
        }
        if (hundredDir) {
          log(`browser: 100 folders until the table is complete (${runs} runs)`);
          table = [];
          for (let i = 0; i < runs; i++) table.push(await measureDrop(browser, preview.url, hundredDir, 100));
        }
        log('browser: latency of one File range read, on the page and in a worker');
        const blobReads = await measureBlobReads(browser, preview.url, results[0].gen.path);
        browserResults = { chromium: browser.version(), buildMs: built.ms, status, table, tableFolders: 100, blobReads };
      } catch (e) {
        log(`browser part failed: ${(e as Error).message}`);
        browserResults = { error: (e as Error).message.slice(0, 500), status, table, tableFolders: 100 };
      } finally {
        await browser?.close();
        preview?.stop();
        preview = undefined;
      }
    }

    const report = renderReport({
      loadAverage: { start: machine.loadAverage, end: loadavg() },
      startedAt: new Date(Date.now() - (performance.now() - started)).toISOString().replace(/\.\d+Z$/, 'Z'),
      totalSeconds: (performance.now() - started) / 1000,
      machine,
      python,
      chromium: browserResults?.chromium,
      sizes: results,
      zip64Skipped,
      cliBaseline,
      cliBaselineBundled,
      nodeBare,
      bundleError,
      hundred,
      browser: browserResults,
      command: quick ? 'npm run bench -- --quick' : `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`,
    });
    const outFile = quick ? join(ROOT, 'bench', 'out', 'BENCHMARKS.quick.md') : join(ROOT, 'BENCHMARKS.md');
    mkdirSync(dirname(outFile), { recursive: true });
    // the sections other benchmarks (scale, health) and people wrote stay
    writeFileSync(outFile, existsSync(outFile) ? keepSections(readFileSync(outFile, 'utf8'), report) : report);
    writeFileSync(join(ROOT, 'bench', 'out', quick ? 'results.quick.json' : 'results.json'), JSON.stringify({ results, cliBaseline, cliBaselineBundled, hundred, browserResults }, null, 1));
    log(`wrote ${outFile}`);
  } finally {
    cleanup();
    log('temp folder deleted');
  }
}

if (args.includes('--scale')) {
  // issue 15: page against CLI core on 50, 200 and 1,000 checkpoints (bench/scale.ts)
  await import('./scale');
} else if (args.includes('--health')) {
  // issue 17: health scan and diff of 1 GB files, page and CLI against torch (bench/health.ts)
  await import('./health');
} else {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
