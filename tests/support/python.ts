/** Running the project's Python fixture tools (real PyTorch from Debian's python3-torch). */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The Python that has Debian's torch (`/usr/bin/python3`), overridable with $TORCH_PYTHON. */
export const PYTHON = process.env.TORCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

/**
 * Run a Python script and parse the last line of its stdout as JSON.
 * @throws Error with the script's stderr when it fails (e.g. torch is not installed: run .ci/run)
 */
export function runPythonJson<T>(args: string[], timeoutMs = 300_000): T {
  try {
    const out = execFileSync(PYTHON, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = out.trim().split('\n');
    return JSON.parse(lines[lines.length - 1]) as T;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${PYTHON} ${args.join(' ')} failed (is python3-torch installed? .ci/run installs it): ${err.stderr ?? err.message}`);
  }
}
