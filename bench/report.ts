/**
 * Render the benchmark results as BENCHMARKS.md: machine and versions, method, one table per
 * question (summary, memory, repair, JSZip, browser), and the issue's targets with whether this
 * run met them. Every number in the file comes from the run that wrote it.
 */
import type { MachineInfo } from './machine';
import type { BrowserRun } from './browser';
import type { ProcessRun } from './measureProcess';
import type { SizeResult, TorchProbe } from './measureSize';
import { growth, median, ms, ratio, size } from './stats';

/** Browser results. */
export interface BrowserResults {
  readonly chromium?: string;
  readonly error?: string;
  readonly buildMs?: number;
  /** Per size label: runs giving a single checkpoint folder. */
  readonly status: Record<string, BrowserRun[]>;
  /** 100 checkpoint folders at once. */
  readonly table?: BrowserRun[];
  readonly tableFolders: number;
  /** ms per 4 KB File range read, on the page and in a worker. */
  readonly blobReads?: { page: number; worker: number };
}

/** Everything the report shows. */
export interface BenchResults {
  /** 1/5/15-minute load averages at the start and the end of the run. */
  readonly loadAverage: { start: number[]; end: number[] };
  readonly startedAt: string;
  readonly totalSeconds: number;
  readonly machine: MachineInfo;
  readonly python: { torch?: string; numpy?: string; python?: string; threads?: number };
  readonly chromium?: string;
  readonly sizes: SizeResult[];
  readonly zip64Skipped?: string;
  readonly cliBaseline: ProcessRun[];
  readonly cliBaselineBundled: ProcessRun[];
  /** `node -e 0`: the runtime's own start. */
  readonly nodeBare: ProcessRun[];
  readonly bundleError?: string;
  readonly hundred?: { bin: ProcessRun[]; bundle: ProcessRun[]; folders: number; bytes: number };
  readonly browser?: BrowserResults;
  readonly command: string;
}

const med = (xs: readonly (number | undefined)[]): number | undefined => {
  const v = xs.filter((x): x is number => x !== undefined && Number.isFinite(x));
  return v.length ? median(v) : undefined;
};
const s2ms = (s: number | undefined): number | undefined => (s === undefined ? undefined : s * 1000);
const warm = (xs: readonly number[] | undefined): number | undefined => (xs && xs.length > 1 ? median(xs.slice(1)) : xs?.[0]);
const yes = (ok: boolean | undefined): string => (ok === undefined ? 'not measured' : ok ? '**met**' : '**not met**');
const walls = (rs: readonly ProcessRun[]): number | undefined => med(rs.map((r) => r.wallMs));
const rss = (rs: readonly ProcessRun[]): number | undefined => med(rs.map((r) => r.maxRss));
const ok = (rs: readonly ProcessRun[]): boolean => rs.length > 0 && rs.every((r) => r.code === 0 || r.code === 1);

function torchMs(p: readonly { data: TorchProbe }[], f: (d: TorchProbe) => number | undefined): number | undefined {
  return med(p.map((x) => f(x.data)));
}

/** Derived numbers of one size, used by several tables. */
export function derive(s: SizeResult, baseline: number | undefined) {
  const torchLoad = torchMs(s.torchLoad, (d) => s2ms(d.load_s));
  const coreFirst = s.core?.summaryMs[0];
  const coreWarm = warm(s.core?.summaryMs);
  const loadSave = torchMs(s.pyLoadSave, (d) => (d.load_s !== undefined && d.save_s !== undefined ? (d.load_s + d.save_s) * 1000 : undefined));
  const seedFix = torchMs(s.pySeedFix, (d) => ((d.load_s ?? 0) + (d.backup_s ?? 0) + (d.save_s ?? 0) + (d.reload_s ?? 0)) * 1000);
  const repairCoreWarm = warm(s.core?.repairMs);
  const repairCoreFirst = s.core?.repairMs[0];
  const repairCli = med(s.cliRepair.map((r) => r.stats?.totalMs));
  const repairCliWall = walls(s.cliRepair.map((r) => r.run));
  const repairCliRss = rss(s.cliRepair.map((r) => r.run));
  const pyLoadSaveExtra = med(s.pyLoadSave.map((p) => p.data.maxrss - p.data.maxrss_after_import));
  return {
    torchLoad,
    torchLoadWall: walls(s.torchLoad.map((p) => p.run)),
    torchImport: torchMs(s.torchLoad, (d) => s2ms(d.import_s)),
    torchRss: med(s.torchLoad.map((p) => p.data.maxrss)),
    torchExtra: med(s.torchLoad.map((p) => p.data.maxrss - p.data.maxrss_after_import)),
    coreFirst,
    coreWarm,
    coreExtra: s.core ? s.core.memory.afterSummary.maxRss - s.core.memory.start.maxRss : undefined,
    cliWall: walls(s.cliInspect),
    cliBundleWall: walls(s.cliInspectBundled),
    cliRss: rss(s.cliInspect),
    cliExtra: rss(s.cliInspect) !== undefined && baseline !== undefined ? rss(s.cliInspect)! - baseline : undefined,
    loadSave,
    loadSaveWall: walls(s.pyLoadSave.map((p) => p.run)),
    seedFix,
    seedFixWall: walls(s.pySeedFix.map((p) => p.run)),
    pyLoadSaveExtra,
    repairCoreWarm,
    repairCoreFirst,
    repairCoreExtra: s.core ? s.core.memory.afterRepair.maxRss - s.core.memory.afterSummary.maxRss : undefined,
    repairCli,
    repairCliWall,
    repairCliCopyWall: walls(s.cliRepairCopy.map((r) => r.run)),
    repairCliExtra: repairCliRss !== undefined && baseline !== undefined ? repairCliRss - baseline : undefined,
    repairCliRss,
    cp: walls(s.cp),
  };
}

function phases(s: SizeResult): string {
  const keys = ['write', 'sync', 'readBack', 'backup', 'rename'];
  const plan = med(s.cliRepair.map((r) => r.stats?.planMs));
  return [`plan+verify ${ms(plan)}`, ...keys.map((k) => `${k} ${ms(med(s.cliRepair.map((r) => r.stats?.phases[k])))}`)].join(', ');
}

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The whole BENCHMARKS.md text. */
export function renderReport(b: BenchResults): string {
  const m = b.machine;
  const baseline = rss(b.cliBaseline);
  const d = new Map(b.sizes.map((s) => [s.label, derive(s, baseline)]));
  const big = b.sizes.find((s) => s.label === '1 GB');
  const small = b.sizes.find((s) => s.label === '10 MB');
  const D = big ? d.get(big.label)! : undefined;
  const S = small ? d.get(small.label)! : undefined;
  const out: string[] = [];
  out.push('# Benchmarks: ckptview against torch.load');
  out.push('');
  out.push(`Generated by \`${b.command}\` (bench/run.ts) on ${b.startedAt} in ${Math.round(b.totalSeconds)} s. Every number below comes from that one run; run it again to refresh this file.`);
  out.push('');
  out.push('## Machine and versions');
  out.push('');
  out.push(table(['', ''], [
    ['CPU', `${m.cpuModel}, ${m.nproc} cores (nproc)`],
    ['Memory', `${size(m.memoryBytes)} (${size(m.freeMemoryBytes)} free at start)`],
    ['Kernel', m.kernel],
    ['Load average (1/5/15 min)', `${b.loadAverage.start.map((x) => x.toFixed(2)).join(' / ')} at the start, ${b.loadAverage.end.map((x) => x.toFixed(2)).join(' / ')} at the end${Math.max(...b.loadAverage.start, ...b.loadAverage.end) > m.nproc * 0.75 ? ': other work was running on the machine during the run, so some timings carry its noise' : ''}`],
    ['Temp folder', `${m.tmpFs}, ${size(m.tmpFreeBytes)} free at start`],
    ['Node', m.node],
    ['Python / torch / numpy', `${b.python.python ?? '?'} / ${b.python.torch ?? '?'} (Debian python3-torch, ${b.python.threads ?? '?'} intra-op thread${b.python.threads === 1 ? '' : 's'}) / ${b.python.numpy ?? '?'}`],
    ['Chromium', `${b.chromium ?? b.browser?.chromium ?? 'not run'} (/usr/bin/chromium, Playwright ${m.packages['@playwright/test']})`],
    ['JSZip / Vite / tsx / TypeScript', `${m.packages.jszip} / ${m.packages.vite} / ${m.packages.tsx} / ${m.packages.typescript}`],
  ]));
  out.push('');
  out.push('## Targets (issue 8)');
  out.push('');
  const t1inproc = D?.torchLoad !== undefined && D.coreWarm !== undefined ? D.torchLoad / D.coreWarm : undefined;
  const t1first = D?.torchLoad !== undefined && D.coreFirst !== undefined ? D.torchLoad / D.coreFirst : undefined;
  const t1proc = D?.torchLoadWall !== undefined && D.cliWall !== undefined ? D.torchLoadWall / D.cliWall : undefined;
  const t1bundle = D?.torchLoadWall !== undefined && D.cliBundleWall !== undefined ? D.torchLoadWall / D.cliBundleWall : undefined;
  const read1 = big?.core?.bytesRead;
  const t2core = D?.loadSave !== undefined && D.repairCoreWarm !== undefined ? D.loadSave / D.repairCoreWarm : undefined;
  const t2cli = D?.loadSave !== undefined && D.repairCli !== undefined ? D.loadSave / D.repairCli : undefined;
  const t2wall = D?.loadSaveWall !== undefined && D.repairCliWall !== undefined ? D.loadSaveWall / D.repairCliWall : undefined;
  const t3warm = D?.coreWarm !== undefined && S?.coreWarm !== undefined ? D.coreWarm / S.coreWarm : undefined;
  const t3first = D?.coreFirst !== undefined && S?.coreFirst !== undefined ? D.coreFirst / S.coreFirst : undefined;
  const bs = b.browser?.status ?? {};
  const t3browser = bs['1 GB']?.length && bs['10 MB']?.length ? med(bs['1 GB'].map((r) => r.paintMs))! / med(bs['10 MB'].map((r) => r.paintMs))! : undefined;
  const t3cli = D?.cliWall !== undefined && S?.cliWall !== undefined ? D.cliWall / S.cliWall : undefined;
  const x = (v: number | undefined): string => (v === undefined ? '—' : `${v >= 100 ? Math.round(v) : v.toFixed(1)}x`);
  out.push(table(['Target', 'Measured (1 GB file unless noted)', 'Verdict'], [
    ['Summary of 1 GB at least 50x faster than torch.load', `in-process, core warm median vs torch.load: ${x(t1inproc)}; first call in a fresh process: ${x(t1first)}; whole processes (CLI via tsx vs python importing torch + torch.load): ${x(t1proc)}; bundled CLI process: ${x(t1bundle)}`, `in-process ${yes(t1inproc !== undefined ? t1inproc >= 50 : undefined)} (first call ${yes(t1first !== undefined ? t1first >= 50 : undefined)}); as processes ${yes(t1proc !== undefined ? t1proc >= 50 : undefined)}`],
    ['... reading under 1 MB', `${size(read1)} read (${read1 ?? '—'} bytes) of ${size(big?.gen.bytes)}`, yes(read1 !== undefined ? read1 < 1024 * 1024 : undefined)],
    ['Repair of 1 GB at least 20x faster than load + save', `core repair (parse, patch plan, verification; what the page does before it offers a download made of slices of the original): ${x(t2core)}; CLI mark-complete writing the repaired file and backup to disk (in-process time): ${x(t2cli)}; as processes: ${x(t2wall)}`, `core ${yes(t2core !== undefined ? t2core >= 20 : undefined)}; on disk ${yes(t2cli !== undefined ? t2cli >= 20 : undefined)}`],
    ['... with under 20 MB extra memory', `CLI repair process peak RSS ${size(D?.repairCliRss)} vs ${size(baseline)} for \`ckptview --version\`: ${growth(D?.repairCliExtra)} extra; in-process growth of the peak RSS during the core repair runs: ${growth(D?.repairCoreExtra)}`, yes(D?.repairCliExtra !== undefined ? D.repairCliExtra < 20 * 1024 * 1024 : undefined)],
    ['Time to summary 10 MB vs 1 GB within 2x', `core warm median ${ms(S?.coreWarm)} vs ${ms(D?.coreWarm)} (${x(t3warm)}); first call ${ms(S?.coreFirst)} vs ${ms(D?.coreFirst)} (${x(t3first)}); CLI process ${x(t3cli)}; browser status on screen ${x(t3browser)}`, yes(t3warm !== undefined ? t3warm <= 2 && (t3first === undefined || t3first <= 2) : undefined)],
  ]));
  out.push('');
  out.push('What the verdicts mean and why some are not met is explained under each table below.');
  out.push('');
  out.push('## Method');
  out.push('');
  out.push('- **Files.** `scripts/make_fixtures.py --large PATH --megabytes N` writes each `training_state.pth` with Debian\'s PyTorch: an EnStack state dict (AdamW state of 4 square layers sized to the requested size, `epoch` 1, `step` 1000 of `total_batches` 1270, numpy float64 `best_val_f1`/`best_val_acc`, scheduler and scaler state). Files live in a temp folder that is deleted at the end. The largest file is over 4 GiB, so its zip offsets only fit in ZIP64 fields; the bench checks that from the file itself.');
  out.push('- **Page cache.** The machine has enough memory that every file stays in the OS page cache after it is written, so both tools read from memory, not from the disk; the comparison is the work each does, not disk speed. `sync` runs before each timed repair, save or copy so earlier writes do not slow it.');
  out.push('- **ckptview in-process** (`bench/coreProbe.ts`, a fresh `node --import tsx` process per size): the CLI\'s inspect pipeline (`analyzeInputs`: plan the folder, analyse it through `src/core`, findings) timed with `performance.now()`; "first call" is run 1 in the process (includes JIT warm-up), "warm" the median of the other runs. Bytes read are counted with `countingSource` on every file. The core repair = `loadTorchFile` + `planMarkEpochComplete` + `verifyRepair` (nothing written). Memory = growth of the process\'s peak RSS (`process.resourceUsage().maxRSS`) during those runs.');
  out.push('- **ckptview as a process**: `node bin/ckptview.mjs inspect DIR --json` (the package bin, which loads the TypeScript through tsx) and the same CLI bundled into one JS file with Vite (`vite build --ssr src/cli/main.ts`, made by the bench in its temp folder), wall clock around spawn-to-exit and `/usr/bin/time -v` maximum RSS. "Extra memory" subtracts the peak RSS of `ckptview --version`, which loads the same modules and reads nothing.');
  out.push('- **torch.load** (`bench/torch_probe.py load`): `torch.load(path, map_location="cpu")` as the seed\'s `debug_checkpoint.py` does, in a fresh Python per run; in-process time of the call, process wall clock (interpreter start + `import torch` + load), peak RSS (`ru_maxrss`) and its growth over the RSS after `import torch`.');
  out.push('- **Repair.** ckptview: `bin/ckptview.mjs mark-complete DIR --stats` on a hard link of the generated file (the repair renames a new file over the name, so the generated file is never changed): parse, plan, verify, kernel copy of the file to a temp file in the same folder, patch, fsync, read back, backup as a hard link to the original (default) or as a byte copy (`--copy-backup`), atomic rename. Python (`bench/torch_probe.py`): "load + save" = `torch.load`, set `epoch`/`step`, `torch.save` to a new file (the core of `fix_checkpoint_epoch.py`); "seed fix" = the whole seed flow: load, `shutil.copy2` backup, save, load again to confirm. `cp` of the same file is shown as the floor for any tool that must produce a second full-size file.');
  out.push('- **JSZip** (`bench/jszipProbe.ts`): `fs.readFile` + `JSZip.loadAsync` + reading `data.pkl`, in a fresh process per run, wall time and peak RSS growth. PyTorch writes ZIP64 end records even in small archives and JSZip 3.10 mis-reads archives that have them, so it is also run on a copy with those 76 bytes removed (otherwise identical).');
  out.push('- **Browser** (`bench/browser.ts`): `vite build` into a temp folder, served by `vite preview --host 127.0.0.1 --port 4180 --strictPort`, Chromium from /usr/bin/chromium with the e2e flags; one fresh browser context per run; the folder is given with `setInputFiles(dir)` on the hidden `folder-input`. An init script marks `ckpt-input` at the input\'s `change` event (capture phase), and `ckpt-status` when `[data-testid="status-card"] [data-testid="epoch"]` is filled (or `ckpt-table` when `[data-testid="checkpoint-table"] tbody tr` has every row and none is still "reading"), via a MutationObserver; "on screen" is the next `requestAnimationFrame` callback. Wall clock is measured around `setInputFiles` + the wait. One warm-up run is discarded.');
  out.push('- Medians of several runs; run counts are in each table.');
  out.push('');

  // --- summary
  out.push('## Time to summary');
  out.push('');
  out.push(table(['File', 'Size', 'torch.load (in-process)', 'ckptview core, first call', 'ckptview core, warm', 'torch.load / core (warm; first)', 'Bytes read by ckptview', 'torch.load reads', 'Same values?'], b.sizes.map((s) => {
    const v = d.get(s.label)!;
    return [
      s.label,
      `${size(s.gen.bytes)}${s.zip.needsZip64 ? ' (ZIP64 needed)' : ''}`,
      `${ms(v.torchLoad)} (${s.torchLoad.length} runs)`,
      ms(v.coreFirst),
      `${ms(v.coreWarm)} (${Math.max(0, (s.core?.summaryMs.length ?? 1) - 1)} runs)`,
      `${ratio(v.torchLoad, v.coreWarm)}; ${ratio(v.torchLoad, v.coreFirst)}`,
      s.core ? `${size(s.core.bytesRead)} in ${s.core.reads} reads` : `failed: ${s.coreError ?? ''}`,
      size(s.gen.bytes),
      s.disagreements.length ? `no: ${s.disagreements.join('; ')}` : 'yes',
    ];
  })));
  out.push('');
  out.push('As whole processes (what a user waits for in a terminal):');
  out.push('');
  out.push(table(['File', 'python: import torch + torch.load', 'of which import torch', '`ckptview inspect` (bin via tsx)', 'bundled CLI', 'python / bin', 'python / bundled'], b.sizes.map((s) => {
    const v = d.get(s.label)!;
    return [s.label, ms(v.torchLoadWall), ms(v.torchImport), `${ms(v.cliWall)} (${s.cliInspect.length} runs${ok(s.cliInspect) ? '' : ', FAILED'})`, `${ms(v.cliBundleWall)} (${s.cliInspectBundled.length} runs)`, ratio(v.torchLoadWall, v.cliWall), ratio(v.torchLoadWall, v.cliBundleWall)];
  })));
  out.push('');
  const bare = walls(b.nodeBare);
  out.push(
    `Startup alone: \`ckptview --version\` takes ${ms(walls(b.cliBaseline))} through tsx and ${ms(walls(b.cliBaselineBundled))} bundled${b.bundleError ? ` (bundle failed: ${b.bundleError})` : ''}; \`node -e 0\` takes ${ms(bare)}; Python's \`import torch\` is the third column. ` +
      `The process ratios are bounded by those startup costs, not by reading the checkpoint (in-process the core needs milliseconds whatever the file size): even a CLI that started as fast as bare Node could be at most ${ratio(D?.torchLoadWall, bare)} faster than the Python process for the 1 GB file here, so the 50x target can only be met in-process.`,
  );
  out.push('');

  // --- memory
  out.push('## Peak memory while summarising');
  out.push('');
  out.push(table(['File', 'torch.load process peak RSS', 'torch.load growth over `import torch`', 'ckptview CLI process peak RSS', 'CLI growth over `--version`', 'core in-process peak RSS growth'], b.sizes.map((s) => {
    const v = d.get(s.label)!;
    return [s.label, size(v.torchRss), growth(v.torchExtra), size(v.cliRss), growth(v.cliExtra), growth(v.coreExtra)];
  })));
  out.push('');
  out.push('torch.load materialises every tensor, so its memory grows with the file; ckptview reads the zip index and data.pkl and never the tensor bytes.');
  out.push('');

  // --- repair
  out.push('## Repair: mark epoch complete');
  out.push('');
  out.push(table(['File', 'Python load + save', 'seed fix (load, backup copy, save, reload)', 'ckptview core (plan + verify)', 'ckptview mark-complete on disk (link backup)', '`cp` of the file', 'load+save / core', 'load+save / mark-complete', 'seed fix / mark-complete'], b.sizes.map((s) => {
    const v = d.get(s.label)!;
    return [
      s.label,
      `${ms(v.loadSave)} (${s.pyLoadSave.length} runs)`,
      `${ms(v.seedFix)} (${s.pySeedFix.length} runs)`,
      `${ms(v.repairCoreWarm)} warm, ${ms(v.repairCoreFirst)} first`,
      `${ms(v.repairCli)} (${s.cliRepair.length} runs${ok(s.cliRepair.map((r) => r.run)) ? '' : ', FAILED'})`,
      ms(v.cp),
      ratio(v.loadSave, v.repairCoreWarm),
      ratio(v.loadSave, v.repairCli),
      ratio(v.seedFix, v.repairCli),
    ];
  })));
  out.push('');
  out.push('The same as whole processes, and memory:');
  out.push('');
  out.push(table(['File', 'python load + save process', 'python seed fix process', 'mark-complete process', 'mark-complete --copy-backup process', 'python / mark-complete', 'Python load+save peak RSS growth', 'mark-complete peak RSS', 'mark-complete extra over `--version`', 'repaired file checked by torch.load'], b.sizes.map((s) => {
    const v = d.get(s.label)!;
    return [
      s.label,
      ms(v.loadSaveWall),
      ms(v.seedFixWall),
      ms(v.repairCliWall),
      `${ms(v.repairCliCopyWall)} (${s.cliRepairCopy.length} runs)`,
      ratio(v.loadSaveWall, v.repairCliWall),
      growth(v.pyLoadSaveExtra),
      size(v.repairCliRss),
      growth(v.repairCliExtra),
      s.repairChecked ? (s.repairChecked.ok ? 'yes: loads, epoch/step as set, every other value and tensor equal, CRCs and alignment valid' : `NO: ${s.repairChecked.problems.join('; ')}`) : '—',
    ];
  })));
  out.push('');
  out.push('Where the time of `mark-complete` goes (medians, ms, from `--stats`):');
  out.push('');
  out.push(table(['File', 'Phases', 'Bytes read to plan and verify', 'New bytes'], b.sizes.map((s) => [s.label, phases(s), size(med(s.cliRepair.map((r) => r.stats?.bytesRead))), size(s.core?.repair.newBytes)])));
  out.push('');
  if (D && big && (t2cli === undefined || t2cli < 20)) {
    const floor = D.loadSave !== undefined && D.cp !== undefined ? D.loadSave / D.cp : undefined;
    out.push(
      `**Why the on-disk repair is not 20x faster than load + save.** Planning and verifying the patch reads ${size(big.core?.repair.bytesRead)} of the 1 GB file and takes ${ms(D.repairCoreWarm)} (the "core" column: ${x(t2core)}). ` +
        `But a repair that keeps the original as \`.backup\` and replaces \`training_state.pth\` atomically must put a second, full-size file on disk: the repaired bytes differ from the original in ${size(big.core?.repair.newBytes)}, yet on a file system without reflinks (${m.tmpFs} here) the only way to have them under a new name is to copy the whole file. ` +
        `\`mark-complete\` copies it once (the kernel's \`copyFile\`, which is a reflink on btrfs/XFS, and a hard link for the backup), then flushes it to disk before the rename. ` +
        `\`cp\` of the same 1 GB file takes ${ms(D.cp)} here, while torch.load + torch.save takes ${ms(D.loadSave)}: no tool that writes a second full-size file can be more than ${x(floor)} faster than load + save on this machine, whatever it does. ` +
        `The browser does not pay this: its repaired file is a Blob made of slices of the dropped file, written only when the user saves the download, so there the core column is the cost.`,
    );
    out.push('');
  }
  out.push('Note: `verifyRepair` recomputes every zip entry\'s CRC-32 when the output is at most 64 MiB, so the 10 MB repair reads the whole file (and its process holds the largest entry); above 64 MiB it checks each entry\'s name, CRC field, sizes and position, and reads well under 1 MB.');
  out.push('');

  // --- jszip
  out.push('## JSZip on the same archive');
  out.push('');
  out.push(table(['File', 'JSZip on the torch file', 'JSZip on the copy without ZIP64 end records: time to data.pkl', 'its peak RSS growth', 'bytes JSZip needs in memory', 'ckptview core (warm)', 'ckptview bytes read'], b.sizes.map((s) => {
    const v = d.get(s.label)!;
    const real = s.jszip.map((p) => p.data);
    const stripped = s.jszipStripped.map((p) => p.data);
    const realText = real.length ? (real.every((r) => r.ok) ? `loads: ${ms(med(real.map((r) => r.ms)))}` : `fails after ${ms(med(real.map((r) => r.ms)))} and ${growth(med(real.map((r) => r.maxRss - r.start.maxRss)))} of memory: ${real.find((r) => !r.ok)?.error}`) : '—';
    return [
      s.label,
      realText,
      stripped.length ? (stripped.every((r) => r.ok) ? `${ms(med(stripped.map((r) => r.ms)))} (${stripped.length} runs)` : `fails: ${stripped.find((r) => !r.ok)?.error}`) : 'not possible (ZIP64 needed)',
      stripped.length ? growth(med(stripped.map((r) => r.maxRss - r.start.maxRss))) : '—',
      size(s.gen.bytes),
      ms(v.coreWarm),
      size(s.core?.bytesRead),
    ];
  })));
  out.push('');
  out.push('JSZip (like most zip libraries for the browser) takes the archive as one buffer: a 1 GB checkpoint costs 1 GB of memory before data.pkl can be found, a file over the largest buffer (2 GiB for `fs.readFile`, about 4 GiB for an ArrayBuffer) cannot be opened at all, and on a page a Blob must first be read whole. The core reads the end records, the central directory and data.pkl by range, which is why its cost does not depend on the file size.');
  out.push('');

  // --- browser
  out.push('## Browser');
  out.push('');
  if (!b.browser || b.browser.error) {
    out.push(`Not measured${b.browser?.error ? `: ${b.browser.error}` : ''}.`);
  } else {
    out.push(`Production build (${ms(b.browser.buildMs)} to build), Chromium ${b.browser.chromium}.`);
    out.push('');
    out.push(table(['Folder given', 'change -> status in the DOM', 'change -> painted', 'wall clock around Playwright', 'Runs', 'Epoch shown'], b.sizes.filter((s) => bs[s.label]?.length).map((s) => {
      const rs = bs[s.label];
      return [`last_checkpoint/ with a ${s.label} training_state.pth`, ms(med(rs.map((r) => r.inPageMs))), ms(med(rs.map((r) => r.paintMs))), ms(med(rs.map((r) => r.wallMs))), String(rs.length), [...new Set(rs.map((r) => r.shown))].join(', ')];
    })));
    out.push('');
    const tr = b.browser.table;
    if (tr?.length) {
      out.push(table(['Folder given', 'change -> table complete in the DOM', 'change -> painted', 'wall clock around Playwright', 'Runs', 'Rows'], [[
        `${b.browser.tableFolders} checkpoint folders (each a 10 MB training_state.pth${b.hundred ? `, ${size(b.hundred.bytes)} in all` : ''})`,
        ms(med(tr.map((r) => r.inPageMs))),
        ms(med(tr.map((r) => r.paintMs))),
        ms(med(tr.map((r) => r.wallMs))),
        String(tr.length),
        [...new Set(tr.map((r) => r.shown))].join(', '),
      ]]));
      out.push('');
    }
    if (b.browser.blobReads && tr?.length && b.hundred && small?.core) {
      const perCkpt = med(tr.map((r) => r.inPageMs))! / b.browser.tableFolders;
      const readsMs = small.core.reads * b.browser.blobReads.worker;
      out.push(
        `Where the 100-folder time goes: ${ms(perCkpt)} per checkpoint on the page against ${ms(walls(b.hundred.bundle)! / b.hundred.folders)} per checkpoint for the bundled CLI process (startup included). ` +
          `A 4 KB \`File.slice().arrayBuffer()\` costs ${ms(b.browser.blobReads.worker)} in a worker (${ms(b.browser.blobReads.page)} on the page) in this Chromium, against microseconds for a file read in Node, and the core makes ${small.core.reads} range reads per checkpoint: about ${ms(readsMs)} of reading per checkpoint, ${ms(readsMs * b.browser.tableFolders)} for the 100. ` +
          `The other ${ms(Math.max(0, perCkpt - readsMs))} per checkpoint go to the worker's parsing, posting each summary, and the page updating the table, findings and chart after each of the 100 summaries (not broken down here). Fewer, larger reads (e.g. one read of the archive tail for the end records and the central directory) and batching the table updates are the levers.`,
      );
      out.push('');
    }
    if (b.hundred) out.push(`The same ${b.hundred.folders} folders with the CLI: \`ckptview inspect\` ${ms(walls(b.hundred.bin))} (bin via tsx), ${ms(walls(b.hundred.bundle))} (bundled), as processes. torch.load of all of them would be about ${b.hundred.folders} x ${ms(S?.torchLoadWall)} as separate processes, or ${b.hundred.folders} x ${ms(S?.torchLoad)} in one.`);
    out.push('');
    out.push('The page time includes starting the parser worker, sending the File handles to it, analysing, posting the summary back and React rendering the card (and for a single checkpoint also the findings and chart panels).');
  }
  out.push('');
  if (b.zip64Skipped) {
    out.push(`**ZIP64 file not measured:** ${b.zip64Skipped}`);
    out.push('');
  }
  out.push('## Run it');
  out.push('');
  out.push('```sh');
  out.push(`npm run bench            # ${Math.round(b.totalSeconds / 60)} minutes for this run (${m.nproc} cores); the 4.3 GiB file needs about 19 GB free in the temp folder and 12 GB of memory`);
  out.push('npm run bench -- --quick # 10 MB and 100 MB only, few runs: a smoke test (writes bench/out/BENCHMARKS.quick.md)');
  out.push('```');
  out.push('');
  out.push('Options: `--no-browser`, `--no-zip64`. The benchmark is not part of `npm test`.');
  out.push('');
  return out.join('\n');
}
