/**
 * The two smallest browser drivers the smoke needs, over the engines' own remote protocols (no
 * driver packages): Firefox ESR through WebDriver BiDi (Firefox's built-in `--remote-debugging-port`
 * server, Node's WebSocket), WebKitGTK through classic WebDriver (WebKitWebDriver driving MiniBrowser
 * under xvfb-run). Each offers `open(url)`, `run(fn, arg)` (an async page function whose result is
 * JSON) and `close()`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Every process group started here, for {@link stopAll}. */
const started = new Set();

/** End every browser and driver started here (the smoke's watchdog calls it before exiting). */
export function stopAll() {
  for (const pid of started) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  started.clear();
}

/** Spawn `cmd` in its own process group; `stop()` ends the whole group. */
function start(cmd, args, env = {}) {
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  started.add(child.pid);
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  return {
    child,
    log: () => log,
    stop() {
      started.delete(child.pid);
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    },
  };
}

/** Firefox ESR (or any Firefox >= 129) over WebDriver BiDi. */
export async function firefox({ binary = '/usr/bin/firefox-esr', port }) {
  const profile = mkdtempSync(join(tmpdir(), 'ckptview-firefox-'));
  const proc = start(binary, ['--headless', '--no-remote', '--profile', profile, '--remote-debugging-port', String(port), 'about:blank'], { MOZ_HEADLESS: '1' });
  try {
    return await firefoxSession(proc, profile, port);
  } catch (e) {
    proc.stop();
    throw e;
  }
}

async function firefoxSession(proc, profile, port) {  const t0 = Date.now();
  while (!/WebDriver BiDi listening on ws:\/\//.test(proc.log())) {
    if (Date.now() - t0 > 60_000 || proc.child.exitCode !== null) throw new Error(`firefox did not start its BiDi server:\n${proc.log()}`);
    await sleep(100);
  }
  const ws = new WebSocket(`ws://127.0.0.1:${port}/session`);
  await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = () => reject(new Error('BiDi connection failed')))));
  let next = 0;
  const waiting = new Map();
  ws.onmessage = (ev) => {
    const m = JSON.parse(ev.data);
    const w = waiting.get(m.id);
    if (!w) return; // events
    waiting.delete(m.id);
    if (m.type === 'error') w.reject(new Error(`${m.error}: ${m.message}`));
    else w.resolve(m.result);
  };
  const send = (method, params) =>
    new Promise((resolve, reject) => {
      const id = ++next;
      waiting.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send('session.new', { capabilities: {} });
  const context = (await send('browsingContext.getTree', {})).contexts[0].context;
  return {
    name: 'Firefox',
    open: (url) => send('browsingContext.navigate', { context, url, wait: 'complete' }),
    async run(fn, arg) {
      const r = await send('script.callFunction', {
        functionDeclaration: `async (arg) => JSON.stringify(await (${fn.toString()})(arg))`,
        arguments: arg === undefined ? [] : [{ type: 'string', value: arg }],
        awaitPromise: true,
        target: { context },
      });
      if (r.type === 'exception') throw new Error(`in Firefox: ${r.exceptionDetails.text}`);
      return JSON.parse(r.result.value);
    },
    async close() {
      await send('session.end', {}).catch(() => undefined);
      ws.close();
      proc.stop();
      await sleep(500);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** WebKitGTK's MiniBrowser over classic WebDriver (WebKitWebDriver), on a virtual display. */
export async function webkit({ driver = '/usr/bin/WebKitWebDriver', browser = MINIBROWSER, port }) {
  const proc = start('xvfb-run', ['-a', driver, `--port=${port}`]);
  try {
    return await webkitSession(proc, browser, port);
  } catch (e) {
    proc.stop();
    throw e;
  }
}

/** Debian's MiniBrowser (package libwebkit2gtk-4.1-0, pulled in by webkit2gtk-driver). */
export const MINIBROWSER = ['/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/libexec/webkit2gtk-4.1/MiniBrowser'].find((p) => existsSync(p)) ?? 'MiniBrowser';

async function webkitSession(proc, browser, port) {
  const base = `http://127.0.0.1:${port}`;
  const call = async (method, path, body) => {
    const r = await fetch(base + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const j = await r.json();
    if (!r.ok) throw new Error(`WebKitWebDriver ${method} ${path}: ${j.value?.error}: ${j.value?.message}`);
    return j.value;
  };
  const t0 = Date.now();
  for (;;) {
    const ready = await call('GET', '/status').then((v) => v.ready !== false, () => false);
    if (ready) break;
    if (Date.now() - t0 > 60_000 || proc.child.exitCode !== null) throw new Error(`WebKitWebDriver did not start:\n${proc.log()}`);
    await sleep(200);
  }
  const session = await call('POST', '/session', {
    capabilities: { alwaysMatch: { browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: browser, args: ['--automation'] } } },
  });
  const s = `/session/${session.sessionId}`;
  await call('POST', `${s}/timeouts`, { script: 180_000, pageLoad: 60_000 });
  return {
    name: 'WebKitGTK',
    open: (url) => call('POST', `${s}/url`, { url }),
    async run(fn, arg) {
      const script = `const done = arguments[arguments.length - 1];
        (${fn.toString()})(arguments[0]).then((r) => done(JSON.stringify({ ok: r })), (e) => done(JSON.stringify({ error: String(e) })));`;
      const r = JSON.parse(await call('POST', `${s}/execute/async`, { script, args: arg === undefined ? [] : [arg] }));
      if ('error' in r) throw new Error(`in WebKitGTK: ${r.error}`);
      return r.ok;
    },
    async close() {
      await call('DELETE', s).catch(() => undefined);
      proc.stop();
    },
  };
}
