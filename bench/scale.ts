/**
 * `npm run bench -- --scale` (issue 15): the page against the CLI core on folders of 50, 200 and
 * 1,000 checkpoints, half EnStack runs (copies of fixtures/enstack_run) and half HF Trainer runs
 * (copies of fixtures/hf_trainer/checkpoint-700 renamed checkpoint-N, 10 per run), written into a
 * temp folder that is deleted afterwards.
 *
 * - Page: the built site (`vite build` into the temp folder) served by `vite preview` on port 4973
 *   (SCALE_PORT), Debian's Chromium via Playwright, one fresh context per run; the folder is given
 *   twice: with setInputFiles on the `webkitdirectory` input, and dragged onto the page (CDP
 *   Input.dispatchDragEvent with its path). An init script records the input's `change` or the
 *   `drop` (capture phase) and, on every DOM mutation and animation frame, whether the table is complete:
 *   the title says "(N of N)" with N the CLI's checkpoint count, the "Reading checkpoints…" status
 *   is gone and no row in the DOM says "reading". A PerformanceObserver('longtask') (buffered) gives
 *   the long tasks between the event and complete: total blocking time = sum of (duration - 50 ms),
 *   the longest. At the end: CDP Performance.getMetrics (JSHeapUsedSize of the page, not the
 *   workers; DOM Nodes), then the same after HeapProfiler.collectGarbage.
 * - CLI core: `analyzeInputs` (src/cli/analyzeInputs.ts) in a fresh Node process per folder
 *   (bench/scaleCoreProbe.ts), 3 runs: first call and best; reads and bytes counted on every file;
 *   and the page's reads, counted on the same pipeline over Blobs (joined reads of small files).
 *
 * Prints a table and replaces the "Scale" section of BENCHMARKS.md (between its markers), leaving
 * the other sections as they are. Options: --sizes=50,200 (default 50,200,1000), --no-write.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import { buildSite, launch, startPreview, type Preview } from './browser';
import { writeMarkedSection } from './benchmarksFile';
import { machineInfo, uptime } from './machine';
import { ms, size } from './stats';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PORT = Number(process.env.SCALE_PORT ?? 4973);
const args = process.argv.slice(2);
const sizesArg = args.find((a) => a.startsWith('--sizes='));
const SIZES = sizesArg ? sizesArg.slice(8).split(',').map(Number) : [50, 200, 1000];
const write = !args.includes('--no-write');
/** SCALE_PROFILE=<folder>: build the site unminified and write the page main thread's CPU profile per folder (open it in Chrome's DevTools). */
const PROFILE = process.env.SCALE_PROFILE;
const BEGIN = '<!-- scale:begin (bench/scale.ts writes this section) -->';
const END = '<!-- scale:end -->';

const started = performance.now();
const log = (s: string): void => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${s}`);

/** Checkpoints the CLI plans in one copy of fixtures/enstack_run (its 4 checkpoint folders and the run folder's own). */
const ENSTACK_PER_RUN = 5;
const HF_PER_RUN = 10;

/** Write a folder of `n` checkpoints: ~half EnStack runs, the rest HF Trainer runs. */
function generate(dir: string, n: number): { enstackRuns: number; hfRuns: number } {
  mkdirSync(dir, { recursive: true });
  const enstackRuns = Math.floor(n / 2 / ENSTACK_PER_RUN);
  for (let r = 0; r < enstackRuns; r++) cpSync(join(ROOT, 'fixtures', 'enstack_run'), join(dir, `enstack_run_${String(r).padStart(3, '0')}`), { recursive: true });
  let left = n - enstackRuns * ENSTACK_PER_RUN;
  let hfRuns = 0;
  while (left > 0) {
    const run = join(dir, `hf_run_${String(hfRuns).padStart(3, '0')}`);
    for (let i = 1; i <= Math.min(HF_PER_RUN, left); i++) cpSync(join(ROOT, 'fixtures', 'hf_trainer', 'checkpoint-700'), join(run, `checkpoint-${i * 100}`), { recursive: true });
    left -= Math.min(HF_PER_RUN, left);
    hfRuns++;
  }
  return { enstackRuns, hfRuns };
}

interface CoreResult {
  ms: number[];
  checkpoints: number;
  files: number;
  reads: number;
  bytesRead: number;
  /** The same pipeline over Blobs, as the page's worker reads them (reads counted, untimed). */
  page: { singleReads: number; joinedReads: number; joinedFiles: number; checkpoints: number };
  maxRss: number;
}

function core(dir: string): CoreResult {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'scaleCoreProbe.ts'), dir, '3'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop()!) as CoreResult;
}

const INSTRUMENT = `(() => {
  const b = (window.__scale = { input: 0, inputEnd: 0, done: 0, paint: 0, expect: 0, longtasks: [] });
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) b.longtasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
  } catch {}
  // a drop: the page's own handler is timed to a listener added on the window after React's (at the first dragenter)
  document.addEventListener('drop', () => { if (!b.input) { b.input = performance.now(); check(); } }, true);
  let dropEnd = false;
  window.addEventListener('dragenter', () => {
    if (dropEnd) return;
    dropEnd = true;
    window.addEventListener('drop', () => { if (!b.inputEnd) b.inputEnd = performance.now(); });
  });
  document.addEventListener('change', (e) => {
    const t = e.target;
    if (t && t.getAttribute && t.getAttribute('data-testid') === 'folder-input' && !b.input) { b.input = performance.now(); check(); }
  }, true);
  // bubble phase at the window: after React's listener on its root, so inputEnd - input is the page's own change handler
  window.addEventListener('change', (e) => {
    const t = e.target;
    if (t && t.getAttribute && t.getAttribute('data-testid') === 'folder-input' && !b.inputEnd) b.inputEnd = performance.now();
  });
  function check() {
    if (!b.input || b.done || !b.expect) return;
    const title = document.querySelector('#table-title');
    if (!title || !title.textContent.includes('(' + b.expect + ' of ' + b.expect + ')')) return;
    if (document.querySelector('[data-testid="busy"]')) return;
    for (const td of document.querySelectorAll('[data-testid="checkpoint-table"] td[data-col="status"]')) if (td.textContent === 'reading') return;
    b.done = performance.now();
    requestAnimationFrame(() => { b.paint = performance.now(); });
  }
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
  const tick = () => { check(); if (!b.done) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
})();`;

interface PageResult {
  completeMs: number;
  paintMs: number;
  wallMs: number;
  longTasks: number;
  tbtMs: number;
  /** The page's own change handler (ms): from the input's change event to the end of its dispatch. */
  handlerMs: number;
  /**
   * The long task the change event ran in (ms), which starts before it: Chromium building the
   * File objects of the folder, then the change handler. Not counted in the long tasks above.
   */
  deliveryTaskMs: number;
  longestMs: number;
  top: number[];
  heapUsed: number;
  heapAfterGc: number;
  memoryApi?: number;
  domNodes: number;
  error?: string;
}

/** How the folder reaches the page: the "Choose folder" input, or dragged onto the page from the desktop. */
type Delivery = 'picker' | 'drop';

/**
 * Drag `dir` onto the page as a file manager would: CDP `Input.dispatchDragEvent` with the folder's
 * path (the page gets a real DataTransfer with a directory: entries and File System Access handles).
 */
async function dragFolder(p: Page, dir: string): Promise<void> {
  const cdp = await p.context().newCDPSession(p);
  const data = { items: [], files: [dir], dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver', 'drop'] as const) await cdp.send('Input.dispatchDragEvent', { type, x: 300, y: 300, data });
}

async function page(browser: Browser, url: string, dir: string, expect: number, timeoutMs: number, how: Delivery): Promise<PageResult> {
  const context = await browser.newContext();
  try {
    const p = await context.newPage();
    await p.addInitScript(INSTRUMENT);
    await p.goto(url, { waitUntil: 'load' });
    const input = p.locator('input[type=file][webkitdirectory]').first();
    await input.waitFor({ state: 'attached' });
    await p.evaluate((n) => ((window as unknown as { __scale: { expect: number } }).__scale.expect = n), expect);
    const profiler = PROFILE ? await context.newCDPSession(p) : undefined;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.start');
    }
    // the parser worker's profile too: attached through the page's CDP session (non-flat sessions,
    // as Playwright's CDPSession cannot address a worker target by sessionId)
    const workerSessions: string[] = [];
    let msgId = 1;
    const replies = new Map<number, (r: unknown) => void>();
    const toWorker = (sessionId: string, method: string, params: object = {}): Promise<unknown> =>
      new Promise((resolve) => {
        const id = msgId++;
        replies.set(id, resolve);
        void profiler?.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
      });
    if (profiler) {
      profiler.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
        const m = JSON.parse(e.message) as { id?: number; result?: unknown };
        if (m.id !== undefined) replies.get(m.id)?.(m.result);
      });
      profiler.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: { type: string } }) => {
        if (e.targetInfo.type !== 'worker') return;
        workerSessions.push(e.sessionId);
        void toWorker(e.sessionId, 'Profiler.enable').then(() => toWorker(e.sessionId, 'Profiler.start'));
      });
      await profiler.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    }
    const t0 = performance.now();
    if (how === 'drop') await dragFolder(p, dir);
    else await input.setInputFiles(dir);
    let error: string | undefined;
    try {
      await p.waitForFunction(() => (window as unknown as { __scale: { paint: number } }).__scale.paint > 0, undefined, { timeout: timeoutMs, polling: 250 });
    } catch (e) {
      error = `not complete after ${timeoutMs / 1000} s: ${(await p.locator('#table-title').textContent().catch(() => '?')) ?? '?'}; ${(await p.getByTestId('busy').textContent().catch(() => '')) ?? ''}`;
    }
    const wallMs = performance.now() - t0;
    if (profiler && PROFILE) {
      const { profile } = (await profiler.send('Profiler.stop')) as { profile: unknown };
      writeFileSync(join(PROFILE, `page-${expect}.cpuprofile`), JSON.stringify(profile));
      let i = 0;
      for (const w of workerSessions) writeFileSync(join(PROFILE, `worker-${expect}-${i++}.cpuprofile`), JSON.stringify(((await toWorker(w, 'Profiler.stop')) as { profile?: unknown } | undefined)?.profile ?? {}));
    }
    const b = await p.evaluate(() => {
      const s = (window as unknown as { __scale: { input: number; inputEnd: number; done: number; paint: number; longtasks: [number, number][] } }).__scale;
      const m = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
      return { ...s, memoryApi: m?.usedJSHeapSize };
    });
    const end = b.done || performance.now();
    const tasks = b.longtasks.filter(([start]) => start >= b.input - 1 && (!b.done || start <= b.done)).map(([, d]) => d);
    const cdp = await context.newCDPSession(p);
    await cdp.send('Performance.enable');
    const metric = async (): Promise<Record<string, number>> => Object.fromEntries(((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.map((m) => [m.name, m.value]));
    const before = await metric();
    await cdp.send('HeapProfiler.collectGarbage');
    const after = await metric();
    void end;
    return {
      completeMs: b.done ? b.done - b.input : NaN,
      paintMs: b.paint ? b.paint - b.input : NaN,
      wallMs,
      longTasks: tasks.length,
      handlerMs: b.inputEnd - b.input,
      deliveryTaskMs: b.longtasks.filter(([start, d]) => start < b.input - 1 && start + d >= b.input).reduce((m, [, d]) => Math.max(m, d), 0),
      tbtMs: tasks.reduce((s, d) => s + Math.max(0, d - 50), 0),
      longestMs: tasks.length ? Math.max(...tasks) : 0,
      top: [...tasks].sort((x, y) => y - x).slice(0, 5),
      heapUsed: before.JSHeapUsedSize,
      heapAfterGc: after.JSHeapUsedSize,
      memoryApi: b.memoryApi,
      domNodes: after.Nodes,
      error,
    };
  } finally {
    await context.close();
  }
}

/** Stop's latency: the drop is given, Stop is clicked once half the checkpoints are read. */
interface StopResult {
  /** Checkpoints read when Stop was clicked, of `total`. */
  readAtClick: number;
  total: number;
  /** Click -> the "Reading checkpoints…" status gone and no row in the DOM says "reading", in ms. */
  latencyMs: number;
  /** Click -> the next frame painted after that, in ms. */
  paintedMs: number;
  /** The table title after Stop ("(read of total)"). */
  title: string;
  error?: string;
}

/** Records, once Stop is clicked, when the page shows reading as stopped and the frame after. */
const STOP_PROBE = `(() => {
  const b = (window.__stop = { clicked: 0, gone: 0, painted: 0 });
  const check = () => {
    if (!b.clicked || b.gone) return;
    if (document.querySelector('[data-testid="busy"]')) return;
    for (const td of document.querySelectorAll('[data-testid="checkpoint-table"] td[data-col="status"]')) if (td.textContent === 'reading') return;
    b.gone = performance.now();
    requestAnimationFrame(() => setTimeout(() => { b.painted = performance.now(); }, 0));
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
  b.check = check;
})();`;

async function stopLatency(browser: Browser, url: string, dir: string, timeoutMs: number): Promise<StopResult> {
  const context = await browser.newContext();
  try {
    const p = await context.newPage();
    await p.goto(url, { waitUntil: 'load' });
    const input = p.locator('input[type=file][webkitdirectory]').first();
    await input.waitFor({ state: 'attached' });
    await p.evaluate(STOP_PROBE);
    await input.setInputFiles(dir);
    // poll the status from here; click Stop (from the page, timing the click there) at half
    const deadline = Date.now() + timeoutMs;
    let at: { read: number; total: number } | undefined;
    while (!at && Date.now() < deadline) {
      at = await p.evaluate(() => {
        const busy = document.querySelector('[data-testid="busy"]');
        const m = busy && /(\d+) of (\d+) done/.exec(busy.textContent ?? '');
        const button = document.querySelector<HTMLButtonElement>('[data-testid="stop-reading"]');
        if (!m || !button || Number(m[1]) * 2 < Number(m[2])) return undefined;
        const b = (window as unknown as { __stop: { clicked: number; check: () => void } }).__stop;
        b.clicked = performance.now();
        button.click();
        b.check();
        return { read: Number(m[1]), total: Number(m[2]) };
      });
      if (!at) await new Promise((r) => setTimeout(r, 20));
    }
    let error: string | undefined;
    if (!at) error = 'reading ended before half the checkpoints were read';
    else {
      try {
        await p.waitForFunction(() => (window as unknown as { __stop: { painted: number } }).__stop.painted > 0, undefined, { timeout: 30_000, polling: 100 });
      } catch {
        error = 'Stop not shown within 30 s';
      }
    }
    const b = await p.evaluate(() => (window as unknown as { __stop: { clicked: number; gone: number; painted: number } }).__stop);
    const title = ((await p.locator('#table-title').textContent().catch(() => '')) ?? '').trim();
    return { readAtClick: at?.read ?? 0, total: at?.total ?? 0, latencyMs: b.gone ? b.gone - b.clicked : NaN, paintedMs: b.painted ? b.painted - b.clicked : NaN, title, error };
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'ckptview-scale-'));
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
  const loadStart = uptime();
  const machine = machineInfo(ROOT, tmp);
  log(`uptime at start: ${loadStart}`);
  const rows: { n: number; gen: { enstackRuns: number; hfRuns: number }; core: CoreResult; page: PageResult; drop: PageResult; stop: StopResult }[] = [];
  try {
    log('vite build');
    const built = await buildSite(ROOT, join(tmp, 'site'), { minify: !PROFILE });
    if (!built.ok) throw new Error(`vite build failed: ${built.log}`);
    preview = await startPreview(ROOT, join(tmp, 'site'), PORT);
    browser = await launch();
    for (const n of SIZES) {
      const dir = join(tmp, `ckpts-${n}`);
      const gen = generate(dir, n);
      log(`${n}: ${gen.enstackRuns} EnStack runs + ${gen.hfRuns} HF Trainer runs; CLI core`);
      const c = core(dir);
      log(`${n}: CLI core ${c.checkpoints} checkpoints, ${c.files} files, first ${ms(c.ms[0])}, best ${ms(Math.min(...c.ms))}, ${c.reads} reads; page path ${c.page.joinedReads} joined reads of ${c.page.joinedFiles} files + ${c.page.singleReads} single; page`);
      const pageLine = (how: string, pg: PageResult): string =>
        `${n}: page (${how}) complete ${ms(pg.completeMs)}, TBT ${ms(pg.tbtMs)}, longest ${ms(pg.longestMs)}, ${pg.longTasks} long tasks, event handler ${ms(pg.handlerMs)} in a task of ${ms(pg.deliveryTaskMs)}, heap ${size(pg.heapUsed)} (${size(pg.heapAfterGc)} after GC), ${pg.domNodes} DOM nodes${pg.error ? `; ${pg.error}` : ''}`;
      const pg = await page(browser, preview.url, dir, c.checkpoints, Math.max(60_000, n * 300), 'picker');
      log(pageLine('folder picker', pg));
      const drop = await page(browser, preview.url, dir, c.checkpoints, Math.max(60_000, n * 300), 'drop');
      log(pageLine('drop', drop));
      const stop = await stopLatency(browser, preview.url, dir, Math.max(60_000, n * 300));
      log(`${n}: Stop clicked at ${stop.readAtClick} of ${stop.total} read: reading shown as stopped after ${ms(stop.latencyMs)} (painted ${ms(stop.paintedMs)}); title ${stop.title}${stop.error ? `; ${stop.error}` : ''}`);
      rows.push({ n, gen, core: c, page: pg, drop, stop });
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await browser?.close();
    cleanup();
  }
  const loadEnd = uptime();
  log(`uptime at end: ${loadEnd}`);

  const table = [
    '| Checkpoints (files) | How the folder came | Page: event -> table complete | CLI core: first call / best of 3 | page / CLI (first) | Total blocking time | Longest task | Long tasks | Event handler (the task it ran in) | Reads per checkpoint: CLI core; page (joined reads) | Page JS heap at the end (after GC) | DOM nodes (CDP count, text nodes included) | Stop: click -> shown stopped (painted) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.flatMap(({ n, core: c, page: pick, drop, stop }) =>
      ([['folder picker', pick], ['drop', drop]] as const).map(
        ([how, p]) =>
          `| ${n} (${c.files}) | ${how} | ${p.error ? `**not complete**: ${p.error}` : ms(p.completeMs)} | ${ms(c.ms[0])} / ${ms(Math.min(...c.ms))} | ${(p.completeMs / c.ms[0]).toFixed(1)}x | ${ms(p.tbtMs)} | ${ms(p.longestMs)} | ${p.longTasks} | ${ms(p.handlerMs)} (${ms(p.deliveryTaskMs)}) | ${(c.reads / c.checkpoints).toFixed(1)} (${size(c.bytesRead / c.checkpoints)}); ${((c.page.singleReads + c.page.joinedReads) / c.page.checkpoints).toFixed(2)} (${c.page.joinedReads} joined reads of ${c.page.joinedFiles} files, ${c.page.singleReads} single) | ${size(p.heapUsed)} (${size(p.heapAfterGc)}) | ${p.domNodes} | ${how === 'drop' ? 'as above' : stop.error ? stop.error : `${ms(stop.latencyMs)} (${ms(stop.paintedMs)}), at ${stop.readAtClick} of ${stop.total}`} |`,
      ),
    ),
  ];
  console.log(`\n${table.join('\n')}\n`);
  for (const r of rows) console.log(`${r.n}: longest tasks, folder picker ${r.page.top.map((d) => ms(d)).join(', ') || 'none'}; drop ${r.drop.top.map((d) => ms(d)).join(', ') || 'none'}`);

  const section = [
    BEGIN,
    '## Scale: many checkpoints in the page and the CLI (issue 15)',
    '',
    `Generated by \`npm run bench -- --scale\` (bench/scale.ts) on ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} in ${((performance.now() - started) / 1000).toFixed(0)} s, one page run per folder; ${machine.nproc} cores shared with other work. \`uptime\` at the start: \`${loadStart}\`; at the end: \`${loadEnd}\`. Timings under that load are noisy.`,
    '',
    `Folders: about half EnStack runs (copies of fixtures/enstack_run, ${ENSTACK_PER_RUN} checkpoints and a TensorBoard log each) and the rest HF Trainer runs (copies of fixtures/hf_trainer/checkpoint-700 renamed checkpoint-100 ... checkpoint-${HF_PER_RUN * 100}, ${HF_PER_RUN} per run). Page: built site served by \`vite preview\` on port ${PORT}, Chromium ${browser?.version?.() ?? ''} (/usr/bin/chromium, --no-sandbox --disable-gpu --disable-background-networking), the folder given two ways, one page run each: **folder picker** = \`setInputFiles\` on the \`webkitdirectory\` input, timed from its change event; **drop** = the folder dragged onto the page (CDP \`Input.dispatchDragEvent\` with its path: a real DataTransfer, listed through File System Access handles), timed from the drop event, so the listing of the folder is included; complete = the title says "(N of N)", the "Reading checkpoints…" / "Opening…" status is gone and no row in the DOM says "reading"; long tasks from a buffered \`PerformanceObserver('longtask')\` that start between the event and complete (with the picker, the task the change event runs in starts before it, with Chromium building the folder's File objects: it is shown apart, with the page's own handler, timed from the event to a listener on the window after React's; that task is not in the picker's complete time); total blocking time = sum of (task - 50 ms); heap = CDP \`JSHeapUsedSize\` of the page (workers not included). CLI core: \`analyzeInputs\` in a fresh Node process (tsx), first call (JIT warm-up included) and best of 3; reads and bytes counted on every file. Page reads: the same pipeline over the files as Blobs (\`fs.openAsBlob\`) through \`blobAccess\`, as the worker reads them, counted in Node: single reads plus joined reads (one read of a Blob made of several small files, src/core/pipeline/smallFileBatches.ts).`,
    '',
    ...table,
    '',
    ...rows.map((r) => `- ${r.n}: longest tasks, folder picker ${r.page.top.map((d) => ms(d)).join(', ') || 'none'}; drop ${r.drop.top.map((d) => ms(d)).join(', ') || 'none'}.`),
    '',
    'Stop: a second page run per folder; Stop is clicked (from the page) once half the checkpoints are read; "shown stopped" = the "Reading checkpoints…" status is gone and no row in the DOM says "reading" (the unread rows say "not read"); painted = the frame after.',
    '',
    'Targets (issue 15, 1,000 checkpoints): complete within 1.5x the CLI core, no task over 100 ms, total blocking time under 1 s, heap under 300 MB; Stop within 200 ms.',
    END,
  ].join('\n');
  if (write) {
    writeMarkedSection(join(ROOT, 'BENCHMARKS.md'), BEGIN, END, section);
    mkdirSync(join(ROOT, 'bench', 'out'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'out', 'scale.json'), JSON.stringify({ loadStart, loadEnd, rows }, null, 1));
    log('wrote the Scale section of BENCHMARKS.md and bench/out/scale.json');
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
