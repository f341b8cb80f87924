/** The machine and tool versions the benchmark ran on, for BENCHMARKS.md. */
import { execFileSync } from 'node:child_process';
import { readFileSync, statfsSync } from 'node:fs';
import { cpus, freemem, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';

/** Machine and versions. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly nproc: number;
  readonly memoryBytes: number;
  readonly freeMemoryBytes: number;
  readonly kernel: string;
  readonly tmpFs: string;
  readonly tmpFreeBytes: number;
  readonly dfTmp: string;
  readonly node: string;
  /** 1, 5 and 15 minute load averages when the run started. */
  readonly loadAverage: number[];
  readonly packages: Record<string, string>;
}

function sh(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

/** Version of an installed package (from its package.json). */
export function packageVersion(root: string, name: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Collect machine facts; `tmp` is the folder the files are written to. */
export function machineInfo(root: string, tmp: string): MachineInfo {
  const fs = statfsSync(tmp);
  const model = cpus()[0]?.model ?? 'unknown';
  return {
    cpuModel: model,
    nproc: Number(sh('nproc', [])) || cpus().length,
    memoryBytes: totalmem(),
    freeMemoryBytes: freemem(),
    kernel: release(),
    tmpFs: sh('findmnt', ['-n', '-o', 'FSTYPE', '-T', tmp]),
    tmpFreeBytes: fs.bavail * fs.bsize,
    dfTmp: sh('df', ['-h', tmp]),
    node: process.version,
    loadAverage: loadavg(),
    packages: Object.fromEntries(['jszip', '@playwright/test', 'vite', 'tsx', 'typescript'].map((n) => [n, packageVersion(root, n)])),
  };
}

/** `uptime`'s line (load averages over 1, 5 and 15 minutes), or the load averages when it is missing. */
export function uptime(): string {
  try {
    return execFileSync('uptime', [], { encoding: 'utf8' }).trim();
  } catch {
    return `load average ${loadavg().map((x) => x.toFixed(2)).join(', ')}`;
  }
}
