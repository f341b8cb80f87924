/**
 * Memory of the Chromium that Playwright launched from this Node process, read from Linux /proc:
 * its processes are this process's descendants (the browser, zygotes, GPU, utilities and the
 * renderers; a page and its dedicated workers run in one renderer process). The kernel's peak
 * resident set (VmHWM) is reset with `5 > /proc/<pid>/clear_refs` before a measured step, so the
 * peak afterwards is the step's own; a sampler also sums VmRSS over all the processes every
 * `intervalMs`. Also: the JS heap of a dedicated worker, polled over CDP (the Playwright CDP
 * session of the browser, attached to the worker target in non-flat mode).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Browser, CDPSession } from '@playwright/test';

/** A Chromium process: pid, its `--type` (`browser` for the main process) and cmdline. */
export interface ChromiumProcess {
  readonly pid: number;
  readonly type: string;
  /** A renderer of Chromium's own UI (`--top-chrome-webui`), not a page. */
  readonly webui: boolean;
}

function parentOf(pid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** The Chromium processes among this Node process's descendants. */
export function chromiumProcesses(): ChromiumProcess[] {
  const parents = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const p = parentOf(d);
    if (p !== undefined) parents.set(Number(d), p);
  }
  const mine = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parents) if (!mine.has(pid) && mine.has(ppid)) (mine.add(pid), (grew = true));
  }
  const out: ChromiumProcess[] = [];
  for (const pid of mine) {
    if (pid === process.pid) continue;
    let cmd: string[];
    try {
      // zygote-forked processes rewrite their title: one space-separated string, not NUL-separated
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
    } catch {
      continue;
    }
    if (!/chrom/.test(cmd[0] ?? '')) continue;
    const type = cmd.find((a) => a.startsWith('--type='))?.slice(7) ?? 'browser';
    out.push({ pid, type, webui: cmd.includes('--top-chrome-webui') });
  }
  return out.sort((a, b) => a.pid - b.pid);
}

/** VmRSS and VmHWM of a process in bytes (undefined when it is gone). */
export function residentOf(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Reset the peak resident set (VmHWM) of each process to its current RSS; false if any refused. */
export function resetPeaks(pids: readonly number[]): boolean {
  let ok = true;
  for (const pid of pids) {
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
    } catch {
      ok = false;
    }
  }
  return ok;
}

/** What a {@link sampleChromium} sampler saw. */
export interface ChromiumPeaks {
  /** Peak of the sum of VmRSS over all Chromium processes at one sample (shared pages counted once per process). */
  readonly totalRssPeak: number;
  /** Per process type: the largest VmHWM at the end (renderers: page renderers only). */
  readonly hwmByType: Record<string, number>;
  /** The page renderer's VmRSS when sampling started. */
  readonly rendererRssBefore: number;
  /** Whether the peaks were reset when sampling started (else VmHWM covers the process's whole life). */
  readonly reset: boolean;
  readonly samples: number;
}

/**
 * Start sampling: reset every Chromium process's peak, then sum VmRSS every `intervalMs`.
 * @returns `stop()`, which reads VmHWM of each process and returns the peaks
 */
export function sampleChromium(intervalMs = 100): { stop: () => ChromiumPeaks } {
  const procs = chromiumProcesses();
  const reset = resetPeaks(procs.map((p) => p.pid));
  const pageRenderers = procs.filter((p) => p.type === 'renderer' && !p.webui);
  const rendererRssBefore = Math.max(0, ...pageRenderers.map((p) => residentOf(p.pid)?.rss ?? 0));
  let totalRssPeak = 0;
  let samples = 0;
  const tick = (): void => {
    let sum = 0;
    for (const p of chromiumProcesses()) sum += residentOf(p.pid)?.rss ?? 0;
    totalRssPeak = Math.max(totalRssPeak, sum);
    samples++;
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      tick();
      const hwmByType: Record<string, number> = {};
      for (const p of chromiumProcesses()) {
        if (p.webui) continue;
        const hwm = residentOf(p.pid)?.hwm ?? 0;
        hwmByType[p.type] = Math.max(hwmByType[p.type] ?? 0, hwm);
      }
      return { totalRssPeak, hwmByType, rendererRssBefore, reset, samples };
    },
  };
}

/** Peaks of a worker's JS heap (CDP Runtime.getHeapUsage), in bytes. */
export interface WorkerHeapPeaks {
  /** Largest `usedSize` (V8 heap in use). */
  readonly usedPeak: number;
  /** Largest `backingStorageSize` (ArrayBuffer backing stores: the chunks read from the file). */
  readonly backingPeak: number;
  readonly samples: number;
}

interface TargetInfo {
  readonly targetId: string;
  readonly type: string;
  readonly url: string;
}

interface HeapUsage {
  readonly usedSize: number;
  readonly backingStorageSize?: number;
}

/**
 * Poll the JS heap of the first dedicated worker whose URL contains `urlPart`, every `intervalMs`.
 * @throws Error when no such worker exists
 */
export async function sampleWorkerHeap(browser: Browser, urlPart: string, intervalMs = 100): Promise<{ stop: () => Promise<WorkerHeapPeaks> }> {
  const cdp: CDPSession = await browser.newBrowserCDPSession();
  const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: TargetInfo[] };
  const target = targetInfos.find((t) => t.type === 'worker' && t.url.includes(urlPart));
  if (!target) throw new Error(`no worker ${urlPart} among ${targetInfos.map((t) => `${t.type} ${t.url}`).join(', ')}`);
  const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false })) as { sessionId: string };
  let usedPeak = 0;
  let backingPeak = 0;
  let samples = 0;
  let next = 1;
  const waiting = new Map<number, () => void>();
  cdp.on('Target.receivedMessageFromTarget', (e: { sessionId: string; message: string }) => {
    if (e.sessionId !== sessionId) return;
    const m = JSON.parse(e.message) as { id?: number; result?: HeapUsage };
    if (m.id === undefined) return;
    if (m.result) {
      usedPeak = Math.max(usedPeak, m.result.usedSize);
      backingPeak = Math.max(backingPeak, m.result.backingStorageSize ?? 0);
      samples++;
    }
    waiting.get(m.id)?.();
    waiting.delete(m.id);
  });
  const ask = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) }).catch(() => resolve());
    });
  let running = true;
  const loop = (async () => {
    while (running) {
      await Promise.race([ask(), new Promise((r) => setTimeout(r, 2000))]);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      await Promise.race([ask(), new Promise((r) => setTimeout(r, 2000))]);
      await cdp.detach().catch(() => undefined);
      return { usedPeak, backingPeak, samples };
    },
  };
}
