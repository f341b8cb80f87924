/**
 * Browser part of the benchmark: the built site (`vite build` into a temp folder, served by
 * `vite preview` on 127.0.0.1:4180) in Debian's Chromium, driven by Playwright.
 *
 * Timing, per run, in a fresh browser context (fresh page, fresh worker):
 * - in the page: a capture-phase `change` listener on the folder input records performance.now()
 *   when the page receives the folder (`ckpt-input` mark); a MutationObserver records when the
 *   status card's epoch field is filled (`ckpt-status`), or when the table has all its rows and none
 *   is still "reading" (`ckpt-table`); the next requestAnimationFrame callback after that is taken
 *   as "on screen" (the frame that paints it);
 * - around Playwright: wall-clock from before `setInputFiles(dir)` until the page reports the
 *   mark, which also counts Playwright handing the folder to Chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Browser } from '@playwright/test';
import { chromium } from '@playwright/test';

/** Chromium as the e2e tests launch it. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const PORT = 4180;

/** One browser run. */
export interface BrowserRun {
  /** change event on the input -> status (or table) in the DOM, ms (page clock). */
  readonly inPageMs: number;
  /** change event -> the animation frame that paints it, ms (page clock). */
  readonly paintMs: number;
  /** setInputFiles called -> the page reported the painted frame, ms (wall clock around Playwright). */
  readonly wallMs: number;
  /** What the page shows (epoch field, or the number of rows). */
  readonly shown: string;
}

const INSTRUMENT = `(() => {
  const b = (window.__bench = { input: 0, done: 0, paint: 0, expectRows: 0, shown: '' });
  document.addEventListener('change', (e) => {
    const t = e.target;
    if (t && t.getAttribute && t.getAttribute('data-testid') === 'folder-input' && !b.input) {
      b.input = performance.now();
      performance.mark('ckpt-input');
      check();
    }
  }, true);
  function finish(shown) {
    b.done = performance.now();
    b.shown = shown;
    performance.mark(b.expectRows ? 'ckpt-table' : 'ckpt-status');
    requestAnimationFrame(() => { b.paint = performance.now(); });
  }
  function check() {
    if (!b.input || b.done) return;
    if (b.expectRows) {
      const rows = document.querySelectorAll('[data-testid="checkpoint-table"] tbody tr');
      if (rows.length !== b.expectRows) return;
      for (const r of rows) {
        const st = r.querySelector('td[data-col="status"]');
        if (!st || st.textContent === 'reading') return;
      }
      finish(String(rows.length));
    } else {
      const ep = document.querySelector('[data-testid="status-card"] [data-testid="epoch"]');
      if (ep && ep.textContent && ep.textContent !== '—') finish(ep.textContent);
    }
  }
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
})();`;

/** Build the site into `outDir` (`npx vite build --outDir`), leaving the repository's dist/ alone. */
export async function buildSite(root: string, outDir: string, options: { minify?: boolean } = {}): Promise<{ ok: boolean; ms: number; log: string }> {
  const t = performance.now();
  const r = await run('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn', ...(options.minify === false ? ['--minify', 'false'] : [])], root);
  return { ok: r.code === 0, ms: performance.now() - t, log: r.out.slice(-2000) };
}

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (out += d.toString()));
    c.on('close', (code) => resolve({ code, out }));
    c.on('error', (e) => resolve({ code: -1, out: String(e) }));
  });
}

/** A running `vite preview`; `stop()` ends the process group it started. */
export interface Preview {
  readonly url: string;
  stop(): void;
}

/**
 * Serve `outDir` with `npx vite preview --host 127.0.0.1 --port 4180 --strictPort`.
 * @throws Error when the server does not answer within 30 s
 */
export async function startPreview(root: string, outDir: string, port = PORT): Promise<Preview> {
  // a server left on the port (a benchmark killed before its cleanup) would answer for this one
  // with an older build: refuse to measure it
  const stale = await fetch(`http://127.0.0.1:${port}/`).then(
    () => true,
    () => false,
  );
  if (stale) throw new Error(`port ${port} already answers (a vite preview left running?): stop it first, e.g. pkill -f "vite preview"`);
  const child: ChildProcess = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', outDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so npx and vite stop together
  });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}/`;
  const stop = (): void => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vite preview exited: ${log}`);
    try {
      const r = await fetch(url);
      if (r.ok) return { url, stop };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  stop();
  throw new Error(`vite preview did not answer at ${url}: ${log}`);
}

/** Launch Chromium as the e2e tests do. */
export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Give `dir` to the page's folder input and wait until the status card shows (`expectRows` 0) or
 * the table holds `expectRows` finished rows. One fresh context per run.
 */
export async function measureDrop(browser: Browser, url: string, dir: string, expectRows: number, timeoutMs = 120_000): Promise<BrowserRun> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(INSTRUMENT);
    await page.goto(url, { waitUntil: 'load' });
    await page.getByTestId('folder-input').waitFor({ state: 'attached' });
    await page.evaluate((n) => ((window as unknown as { __bench: { expectRows: number } }).__bench.expectRows = n), expectRows);
    const t0 = performance.now();
    await page.getByTestId('folder-input').setInputFiles(dir);
    await page.waitForFunction(() => (window as unknown as { __bench: { paint: number } }).__bench.paint > 0, undefined, { timeout: timeoutMs, polling: 'raf' });
    const wallMs = performance.now() - t0;
    const b = await page.evaluate(() => (window as unknown as { __bench: { input: number; done: number; paint: number; shown: string } }).__bench);
    return { inPageMs: b.done - b.input, paintMs: b.paint - b.input, wallMs, shown: b.shown };
  } finally {
    await context.close();
  }
}

/**
 * Milliseconds per `File.slice(a, b).arrayBuffer()` of 4 KB near the end of `file`, on the page and
 * in a dedicated worker (where the core runs): the latency every range read of the core pays in a
 * browser. 100 sequential reads each.
 */
export async function measureBlobReads(browser: Browser, url: string, file: string): Promise<{ page: number; worker: number }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    await page.evaluate(() => {
      const i = document.createElement('input');
      i.type = 'file';
      i.id = 'bench-probe';
      i.hidden = true;
      document.body.append(i);
    });
    await page.locator('#bench-probe').setInputFiles(file);
    return await page.evaluate(async () => {
      const f = (document.querySelector('#bench-probe') as HTMLInputElement).files![0];
      const t0 = performance.now();
      for (let i = 0; i < 100; i++) await f.slice(f.size - 4096 - i * 100, f.size - i * 100).arrayBuffer();
      const onPage = (performance.now() - t0) / 100;
      const code = 'onmessage = async (e) => { const f = e.data; const t0 = performance.now(); for (let i = 0; i < 100; i++) await f.slice(f.size - 4096 - i * 100, f.size - i * 100).arrayBuffer(); postMessage((performance.now() - t0) / 100); };';
      const w = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
      const inWorker = await new Promise<number>((res) => {
        w.onmessage = (e: MessageEvent<number>) => res(e.data);
        w.postMessage(f);
      });
      w.terminate();
      return { page: onPage, worker: inWorker };
    });
  } finally {
    await context.close();
  }
}
