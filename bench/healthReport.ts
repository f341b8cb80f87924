/**
 * The "Tensor health and diff" section of BENCHMARKS.md (bench/health.ts): tables and method
 * notes from the measured runs, and the replacement of the section between its markers.
 */
import { writeMarkedSection } from './benchmarksFile';
import type { ProcessRun } from './measureProcess';
import type { PageRun } from './healthPage';
import { median, ms, size } from './stats';

export const BEGIN = '<!-- health:begin (bench/health.ts writes this section) -->';
export const END = '<!-- health:end -->';

/** What the Python probe printed (health or diff mode). */
export interface TorchOut {
  readonly import_s: number;
  readonly load_s: number;
  readonly load_bytes: number;
  readonly scan_s?: number;
  readonly compare_s?: number;
  readonly nan?: Record<string, number>;
  readonly changed?: string[];
  readonly identical?: number;
  readonly maxrss: number;
  readonly maxrss_after_import: number;
  readonly torch: string;
}

/** A process run and what it printed, parsed. */
export interface Measured<T> {
  readonly run: ProcessRun;
  readonly out: T;
}

/** The CLI's health output, parsed: NaN per tensor and the --stats line. */
export interface CliHealthOut {
  readonly nan: Record<string, number>;
  readonly stats: string;
}

/** The CLI's diff output, parsed. */
export interface CliDiffOut {
  readonly changed: string[];
  readonly identical: number;
}

/** The in-process byte count (bench/healthCoreProbe.ts). */
export interface CoreOut {
  readonly ms: number;
  readonly bytesRead: number;
  readonly reads: number;
  readonly analysis: { reads: number; bytesRead: number };
  readonly scan: { reads: number; bytesRead: number };
  readonly changed?: string[];
}

/** Everything the section is written from. */
export interface HealthResults {
  readonly startedAt: string;
  readonly seconds: number;
  readonly command: string;
  readonly loadStart: string;
  readonly loadEnd: string;
  readonly machine: string;
  readonly versions: string;
  readonly fileA: number;
  readonly fileB: number;
  readonly generation: string;
  /** NaN per tensor as the probe wrote them, and the tensor changed in B. */
  readonly planted: { nan: Record<string, number>; changed: string };
  readonly torchHealth: Measured<TorchOut>[];
  readonly cliHealth: Measured<CliHealthOut>[];
  readonly coreHealth: CoreOut;
  readonly torchDiff: Measured<TorchOut>[];
  readonly cliDiff: Measured<CliDiffOut>[];
  readonly coreDiff: CoreOut;
  readonly pageHealth: PageRun[];
  readonly pageDiff: PageRun[];
  readonly pageError?: string;
  readonly chromium?: string;
  readonly port: number;
}

const med = (xs: readonly number[]): number => median(xs.filter((x) => Number.isFinite(x)));
/** Bytes read as MiB with one decimal (so 1,073,721,548 and 1,073,960,303 bytes read apart), KB below 1 MiB. */
const mib = (n: number): string => (n >= 1 << 20 ? `${(n / (1 << 20)).toLocaleString('en-US', { maximumFractionDigits: 1 })} MiB` : size(n));
const sec = (v: number): string => (Number.isFinite(v) ? `${(v / 1000).toFixed(v < 10_000 ? 2 : 1)} s` : '—');
const runs = (xs: readonly number[]): string => xs.map((x) => (x / 1000).toFixed(2)).join(', ');
const sameCounts = (x: Record<string, number> | undefined, y: Record<string, number>): boolean =>
  !!x && Object.keys(x).length === Object.keys(y).length && Object.entries(y).every(([k, v]) => x[k] === v);
const nanText = (n: Record<string, number>): string => `${Object.values(n).reduce((s, v) => s + v, 0)} in ${Object.keys(n).length} tensors`;

function agree(label: string, got: readonly (Record<string, number> | undefined)[], want: Record<string, number>): string {
  if (got.length === 0) return '—';
  const bad = got.filter((g) => !sameCounts(g, want)).length;
  return bad === 0 ? `${nanText(want)}: same per tensor as torch` : `**${label}: ${bad} of ${got.length} runs differ from torch** (${JSON.stringify(got.find((g) => !sameCounts(g, want)))})`;
}

function changedText(got: readonly (readonly string[] | undefined)[], want: string): string {
  if (got.length === 0) return '—';
  const ok = got.every((g) => g !== undefined && g.length === 1 && g[0] === want);
  return ok ? `1 changed (\`${want}\`)` : `**differs: ${JSON.stringify(got)}**`;
}

/** The section's markdown, markers included. */
export function renderHealthSection(r: HealthResults): string {
  const th = r.torchHealth;
  const ph = r.pageHealth;
  const torchNaN = th[0]?.out.nan ?? {};
  const torchOk = sameCounts(torchNaN, r.planted.nan);
  const renderer = (p: PageRun): number => p.chromium.hwmByType.renderer ?? NaN;
  const health = [
    `| Health scan of file A (${mib(r.fileA)}) | Wall, median of ${th.length} (runs) | Peak memory (median) | Bytes read | NaN found |`,
    '|---|---|---|---|---|',
    `| torch: fresh \`python3\`, \`torch.load(map_location='cpu', weights_only=False)\` + \`torch.isnan(t).sum()\` over every tensor | ${sec(med(th.map((m) => m.run.wallMs)))} (${runs(th.map((m) => m.run.wallMs))}); of which import torch ${sec(med(th.map((m) => m.out.import_s * 1000)))}, load ${sec(med(th.map((m) => m.out.load_s * 1000)))}, isnan+sum ${sec(med(th.map((m) => (m.out.scan_s ?? NaN) * 1000)))} | ${size(med(th.map((m) => m.run.maxRss ?? NaN)))} (process maxrss; ${size(med(th.map((m) => m.out.maxrss_after_import)))} after import torch) | ${mib(med(th.map((m) => m.out.load_bytes)))} (torch.load, /proc/self/io rchar) | ${nanText(torchNaN)}${torchOk ? ', as planted' : ` (**planted ${nanText(r.planted.nan)}**)`} |`,
    `| \`node bin/ckptview.mjs health <folder>\` (CLI process) | ${sec(med(r.cliHealth.map((m) => m.run.wallMs)))} (${runs(r.cliHealth.map((m) => m.run.wallMs))}); the same code in-process (one run, no Node start-up): ${sec(r.coreHealth.ms)} | ${size(med(r.cliHealth.map((m) => m.run.maxRss ?? NaN)))} (process maxrss) | ${mib(r.coreHealth.bytesRead)} in ${r.coreHealth.reads} reads (in-process count: ${mib(r.coreHealth.analysis.bytesRead)} analysis + ${mib(r.coreHealth.scan.bytesRead)} scan) | ${agree('CLI', r.cliHealth.map((m) => m.out.nan), torchNaN)} |`,
    ph.length
      ? `| Page: click "Check tensor health" -> report in the DOM | ${sec(med(ph.map((p) => p.reportMs)))} (${runs(ph.map((p) => p.reportMs))}) | renderer ${size(med(ph.map(renderer)))} peak (${size(med(ph.map((p) => p.chromium.rendererRssBefore)))} before the click); worker JS heap ${size(med(ph.map((p) => p.worker?.usedPeak ?? NaN)))} + ArrayBuffers ${size(med(ph.map((p) => p.worker?.backingPeak ?? NaN)))}; page JS heap ${size(med(ph.map((p) => p.pageHeap)))} | same core as the CLI scan (not counted in the page) | ${agree('page', ph.map((p) => p.nan), torchNaN)} |`
      : `| Page | not measured: ${r.pageError ?? 'skipped'} | | | |`,
  ];
  const td = r.torchDiff;
  const pd = r.pageDiff;
  const diff = [
    `| Diff of A and B (${mib(r.fileA)} each) | Wall, median of ${td.length} (runs) | Peak memory (median) | Bytes read | Result |`,
    '|---|---|---|---|---|',
    `| torch: fresh \`python3\`, \`torch.load\` both + \`torch.equal\` on every tensor | ${sec(med(td.map((m) => m.run.wallMs)))} (${runs(td.map((m) => m.run.wallMs))}); of which import ${sec(med(td.map((m) => m.out.import_s * 1000)))}, loads ${sec(med(td.map((m) => m.out.load_s * 1000)))}, compare ${sec(med(td.map((m) => (m.out.compare_s ?? NaN) * 1000)))} | ${size(med(td.map((m) => m.run.maxRss ?? NaN)))} (process maxrss; ${size(med(td.map((m) => m.out.maxrss_after_import)))} after import torch) | ${mib(med(td.map((m) => m.out.load_bytes)))} (rchar) | ${changedText(td.map((m) => m.out.changed), r.planted.changed)}, ${td[0]?.out.identical ?? '?'} identical |`,
    `| \`node bin/ckptview.mjs diff A B\` (CLI process) | ${sec(med(r.cliDiff.map((m) => m.run.wallMs)))} (${runs(r.cliDiff.map((m) => m.run.wallMs))}); in-process: ${sec(r.coreDiff.ms)} | ${size(med(r.cliDiff.map((m) => m.run.maxRss ?? NaN)))} (process maxrss) | ${size(r.coreDiff.bytesRead)} in ${r.coreDiff.reads} reads (in-process count: ${size(r.coreDiff.analysis.bytesRead)} analysis of both + ${size(r.coreDiff.scan.bytesRead)} tensor index; 0 B of tensor data) | ${changedText(r.cliDiff.map((m) => m.out.changed), r.planted.changed)}, ${r.cliDiff[0]?.out.identical ?? '?'} identical |`,
    pd.length
      ? `| Page: "Compare with" the other checkpoint, click Compare -> result in the DOM | ${sec(med(pd.map((p) => p.reportMs)))} (${runs(pd.map((p) => p.reportMs))}) | renderer ${size(med(pd.map(renderer)))} peak (${size(med(pd.map((p) => p.chromium.rendererRssBefore)))} before the click); worker JS heap ${size(med(pd.map((p) => p.worker?.usedPeak ?? NaN)))} | same core as the CLI diff; page says "${pd[0].shown}" | ${changedText(pd.map((p) => p.changed), r.planted.changed)} |`
      : `| Page | not measured: ${r.pageError ?? 'skipped'} | | | |`,
  ];
  const browserPeak = ph.length ? size(med(ph.map((p) => p.chromium.hwmByType.browser ?? NaN))) : '—';
  return [
    BEGIN,
    '## Tensor health and checkpoint diff: page, CLI and torch (issue 17)',
    '',
    `Generated by \`${r.command}\` (bench/health.ts) on ${r.startedAt} in ${r.seconds.toFixed(0)} s. ${r.machine}; ${r.versions}. \`uptime\` at the start: \`${r.loadStart}\`; at the end: \`${r.loadEnd}\`. The machine is shared: timings under that load are noisy.`,
    '',
    `Files: ${r.generation} A = that file after \`bench/health_probe.py prepare\` (torch.load, NaN written into ${Object.entries(r.planted.nan).map(([k, v]) => `\`${k}\` (${v})`).join(' and ')}, torch.save), ${r.fileA.toLocaleString('en-US')} bytes; B = A with \`${r.planted.changed}\` halved, torch.save again, ${r.fileB.toLocaleString('en-US')} bytes: B differs from A in exactly that tensor. Both written into a temp folder, deleted at the end; all runs read them from the page cache (just written, and they fit in memory), so these are warm-cache figures.`,
    '',
    ...health,
    '',
    ...diff,
    '',
    'What is measured:',
    '',
    `- torch and CLI: each run a fresh process under \`/usr/bin/time -v\` (bench/measureProcess.ts); wall from spawn to exit (Python includes \`import torch\`; Node includes start-up and the \`inspect\` analysis the commands run first); peak memory = the process's maximum resident set. The CLI health is given the checkpoint folder (\`last_checkpoint/training_state.pth\`, as the page), with \`--json --stats\`; the diff is given the two files. Bytes read by the CLI: the same code run in-process (bench/healthCoreProbe.ts: \`analyzeInputs\`, then \`checkHealth\` / \`diffCheckpoints\` over \`countingSource\`-wrapped files), every read counted; the CLI diff reads no tensor byte (the zip central directory's CRC-32 of each storage decides). torch's bytes: /proc/self/io \`rchar\` around \`torch.load\`. torch's diff counts a tensor as identical when \`torch.equal\` holds or, for the tensors holding NaN (NaN != NaN), \`torch.allclose(rtol=0, atol=0, equal_nan=True)\`.`,
    `- Page: the built site (\`vite build\` into the temp folder, \`vite preview\` on port ${r.port}), Chromium ${r.chromium ?? ''} (/usr/bin/chromium as bench/browser.ts launches it), a fresh browser per run; the folder given with \`setInputFiles\` (health: \`last_checkpoint/\`; diff: a run folder with A and B as \`checkpoint_epoch1_step1000/\` and \`checkpoint_epoch1_step1100/\`), the page's own analysis finished first; time from the click (capture-phase listener on \`health-start\` / \`diff-start\`) to the report in the DOM (\`health-status\` / \`diff-result\`, MutationObserver), page clock; the next animation frame came at most ${ms(Math.max(0, ...[...ph, ...pd].map((p) => p.paintMs - p.reportMs)))} later. The scan runs in the parser Web Worker, a thread of the page's renderer process, so the renderer's memory is the page's and the worker's together: "renderer peak" is the renderer process's VmHWM from /proc, reset (\`clear_refs\` 5) at the click, so it is the peak during the scan; "before the click" its VmRSS then. The worker's JS heap is CDP \`Runtime.getHeapUsage\` on the worker target polled every 100 ms (peak of \`usedSize\`; ArrayBuffers = peak \`backingStorageSize\`, the 4 MiB chunks read from the File and not yet collected); the page's JS heap is CDP \`Performance.getMetrics\` JSHeapUsedSize at the end (main thread only). The browser process, which serves the File's bytes to the renderer, peaked at ${browserPeak} during the health scan (VmHWM after the same reset). Not measured: bytes read by the page (the same core code as the CLI, over \`File.slice\` instead of a file handle), GPU/other processes, and memory between polls of the worker heap.`,
    `- NaN counts: torch's per tensor (from \`torch.isnan(t).sum()\`), the CLI's from \`health --json\`, the page's from its tensor table (\`health-table\`, NaN column); the table says "same per tensor as torch" only when every tensor name and count matches in every run.`,
    END,
  ].join('\n');
}

/** Replace the Health section of `file` (BENCHMARKS.md) between its markers. */
export function writeHealthSection(file: string, section: string): void {
  writeMarkedSection(file, BEGIN, END, section);
}

/** One line per measurement for the console. */
export function consoleSummary(r: HealthResults): string[] {
  return [
    `torch health ${sec(med(r.torchHealth.map((m) => m.run.wallMs)))}, ${size(med(r.torchHealth.map((m) => m.run.maxRss ?? NaN)))}`,
    `CLI health ${sec(med(r.cliHealth.map((m) => m.run.wallMs)))}, ${size(med(r.cliHealth.map((m) => m.run.maxRss ?? NaN)))}, ${size(r.coreHealth.bytesRead)} read`,
    `page health ${sec(med(r.pageHealth.map((p) => p.reportMs)))}, renderer ${size(med(r.pageHealth.map((p) => p.chromium.hwmByType.renderer ?? NaN)))}`,
    `torch diff ${sec(med(r.torchDiff.map((m) => m.run.wallMs)))}, ${size(med(r.torchDiff.map((m) => m.run.maxRss ?? NaN)))}`,
    `CLI diff ${sec(med(r.cliDiff.map((m) => m.run.wallMs)))}, ${size(med(r.cliDiff.map((m) => m.run.maxRss ?? NaN)))}, ${size(r.coreDiff.bytesRead)} read`,
    `page diff ${ms(med(r.pageDiff.map((p) => p.reportMs)))}`,
  ];
}
