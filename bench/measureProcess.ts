/**
 * Run a command as a child process under `/usr/bin/time -v` and return its wall-clock time
 * (measured here, around spawn to exit), its peak resident memory (the kernel's maxrss of the
 * child, as GNU time reports it) and its output.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One measured process run. */
export interface ProcessRun {
  readonly code: number | null;
  /** Wall-clock milliseconds from spawn to exit. */
  readonly wallMs: number;
  /** Peak resident set size in bytes (undefined when /usr/bin/time is not available). */
  readonly maxRss: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

const TIME = '/usr/bin/time';

/**
 * Run `cmd args` in `cwd`, measured.
 * @throws Error when the command cannot be started
 */
export function measureProcess(cmd: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ProcessRun> {
  const useTime = existsSync(TIME);
  // GNU time writes its report to a file of its own (opening /dev/stderr fails when stderr is a socket)
  const reportDir = useTime ? mkdtempSync(join(tmpdir(), 'ckptview-time-')) : '';
  const report = join(reportDir, 'time.txt');
  const argv = useTime ? ['-v', '-o', report, cmd, ...args] : [...args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(useTime ? TIME : cmd, argv, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (timer) clearTimeout(timer);
      let maxRss: number | undefined;
      if (useTime) {
        let text = '';
        try {
          text = readFileSync(report, 'utf8');
        } catch {
          // the command could not be run
        }
        rmSync(reportDir, { recursive: true, force: true });
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
        maxRss = m ? Number(m[1]) * 1024 : undefined;
      }
      resolve({ code, wallMs, maxRss, stdout, stderr: stderr.trimEnd() });
    });
  });
}
