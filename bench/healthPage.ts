/**
 * The page side of the health benchmark (bench/health.ts): one fresh Chromium per run (so the
 * renderer's peak memory is that run's), the folder given with setInputFiles, then a click on
 * "Check tensor health" (`health-start`) or "Compare" (`diff-start`), timed in the page from the
 * click (capture-phase listener) to the report in the DOM (`health-status` / `diff-result`,
 * MutationObserver) and the next animation frame. Memory during that interval: the Chromium
 * processes' peak RSS (VmHWM after a reset at the click, bench/chromiumMemory.ts), the parser
 * worker's JS heap polled over CDP, and the page's JS heap (CDP Performance.getMetrics) at the end.
 */
import type { Page } from '@playwright/test';
import { launch } from './browser';
import { sampleChromium, sampleWorkerHeap, type ChromiumPeaks, type WorkerHeapPeaks } from './chromiumMemory';

/** One page run, click to report. */
export interface PageRun {
  /** Click -> report in the DOM, ms (page clock). */
  readonly reportMs: number;
  /** Click -> the animation frame that paints it, ms (page clock). */
  readonly paintMs: number;
  readonly chromium: ChromiumPeaks;
  /** Undefined when the worker could not be sampled (`workerError`). */
  readonly worker?: WorkerHeapPeaks;
  readonly workerError?: string;
  /** CDP Performance.getMetrics JSHeapUsedSize of the page (main thread) at the end. */
  readonly pageHeap: number;
  /** What the page showed: health status line or diff counts. */
  readonly shown: string;
  /** Health: NaN per tensor from the page's tensor table (tensors with NaN only). */
  readonly nan?: Record<string, number>;
  /** Diff: the tensors listed as not identical. */
  readonly changed?: string[];
  /** Chromium's version (Playwright's browser.version()). */
  readonly version: string;
}

const INSTRUMENT = `(() => {
  const b = (window.__health = { start: '', want: '', click: 0, done: 0, paint: 0 });
  document.addEventListener('click', (e) => {
    const t = e.target && e.target.closest ? e.target.closest('[data-testid]') : null;
    if (t && b.start && t.getAttribute('data-testid') === b.start && !b.click) b.click = performance.now();
  }, true);
  const check = () => {
    if (!b.click || b.done || !document.querySelector('[data-testid="' + b.want + '"]')) return;
    b.done = performance.now();
    requestAnimationFrame(() => { b.paint = performance.now(); });
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
})();`;

interface Marks {
  click: number;
  done: number;
  paint: number;
}

async function tensorNaN(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const out: Record<string, number> = {};
    for (const tr of document.querySelectorAll('[data-testid="health-table"] tbody tr')) {
      const name = tr.querySelector('th')?.textContent ?? '';
      const cells = tr.querySelectorAll('td');
      const n = cells.length > 2 ? Number(cells[2].textContent) : 0;
      if (n > 0) out[name] = n;
    }
    return out;
  });
}

/**
 * Load `dir` in a fresh Chromium, wait for `ready`, then click `start` and wait for `want`.
 * @throws Error when a step times out
 */
async function measureClick(url: string, dir: string, kind: 'health' | 'diff', timeoutMs: number): Promise<PageRun> {
  const browser = await launch();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(INSTRUMENT);
    await page.goto(url, { waitUntil: 'load' });
    await page.getByTestId('folder-input').setInputFiles(dir);
    let start;
    if (kind === 'health') {
      await page.getByTestId('status-card').first().waitFor({ timeout: 60_000 });
      start = page.getByTestId('health-start').first();
      if (!(await start.isVisible())) await page.getByText(/^Files \(/).first().click();
    } else {
      await page.getByTestId('checkpoint-table').locator('tbody tr').nth(1).waitFor({ timeout: 60_000 });
      await page.getByTestId('diff-select').selectOption({ index: 1 });
      start = page.getByTestId('diff-start');
    }
    const want = kind === 'health' ? 'health-status' : 'diff-result';
    await page.evaluate(([s, w]) => Object.assign((window as unknown as { __health: { start: string; want: string } }).__health, { start: s, want: w }), [kind === 'health' ? 'health-start' : 'diff-start', want]);
    let workerSampler: Awaited<ReturnType<typeof sampleWorkerHeap>> | undefined;
    let workerError: string | undefined;
    try {
      workerSampler = await sampleWorkerHeap(browser, 'parser.worker');
    } catch (e) {
      workerError = (e as Error).message.slice(0, 300);
    }
    const chromium = sampleChromium();
    await start.click();
    await page.waitForFunction(() => (window as unknown as { __health: Marks }).__health.paint > 0, undefined, { timeout: timeoutMs, polling: 100 });
    const peaks = chromium.stop();
    const worker = await workerSampler?.stop();
    const m = await page.evaluate(() => (window as unknown as { __health: Marks }).__health);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    const pageHeap = metrics.metrics.find((x) => x.name === 'JSHeapUsedSize')?.value ?? NaN;
    const shown = ((await page.getByTestId(kind === 'health' ? 'health-status' : 'diff-counts').first().textContent()) ?? '').trim();
    const run: PageRun = { reportMs: m.done - m.click, paintMs: m.paint - m.click, chromium: peaks, worker, workerError, pageHeap, shown, version: browser.version() };
    if (kind === 'health') return { ...run, nan: await tensorNaN(page) };
    const changed = await page.getByTestId('diff-changed').locator('li code').allTextContents().catch(() => []);
    return { ...run, changed };
  } finally {
    await browser.close();
  }
}

/** Health check of the one checkpoint in `dir`: click "Check tensor health" -> the report. */
export function pageHealth(url: string, dir: string, timeoutMs = 600_000): Promise<PageRun> {
  return measureClick(url, dir, 'health', timeoutMs);
}

/** Compare the two checkpoints in `dir`: choose the other in "Compare with", click Compare -> the result. */
export function pageDiff(url: string, dir: string, timeoutMs = 600_000): Promise<PageRun> {
  return measureClick(url, dir, 'diff', timeoutMs);
}
