/**
 * Where the command line writes: stdout for reports, stderr for errors. An interface so the
 * commands can be run in-process (benchmark) with output captured or dropped.
 */

/** Output channels of one command run. */
export interface CliIo {
  /** Write one line (a newline is added) to standard output. */
  out(line: string): void;
  /** Write one line (a newline is added) to standard error. */
  err(line: string): void;
}

/** The process's own stdout and stderr. */
export const processIo: CliIo = {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
};

/** Output that is thrown away (in-process timing). */
export const silentIo: CliIo = { out: () => undefined, err: () => undefined };
