/**
 * Exit codes of the `ckptview` command line and the error that carries one.
 *
 * - 0: done; `inspect` found nothing that needs attention.
 * - 1: `inspect` found a pickle that may run code (a dangerous import, or an import this viewer
 *      does not know: "unknown, treat as code"; this wins over 2) or reported warning/error findings; `mark-complete` did not
 *      pass verification (nothing was changed on disk) or could not write its output.
 * - 2: bad input: a path that does not exist, nothing checkpoint-like to read, a bad option, or a
 *      file that could not be read (the message names the file, as the page does).
 */

/** The process exit codes. */
export const EXIT = { ok: 0, attention: 1, badInput: 2 } as const;

/** One of {@link EXIT}'s values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * An error that ends the command with `code`; `message` is printed as-is to stderr (one or more
 * sentences, naming the file concerned).
 */
export class CliError extends Error {
  constructor(
    readonly code: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
