/** The `ckptview --help` text. */

/** Usage of every command, with the exit codes. */
export const USAGE = `ckptview: read PyTorch training checkpoints without running their pickles.

Usage:
  ckptview inspect <folder-or-files...> [--json] [--batches-per-epoch N] [--stats]
      Status of every checkpoint given (a run folder, checkpoint folders, or files): epoch, step,
      batches per epoch, progress, remaining batches, where a resume starts, best F1 / accuracy,
      optimizer / scheduler / grad scaler, model, safety verdict with the dangerous globals and
      their byte offsets; then the findings across checkpoints.
      --json                  one JSON document instead of text
      --batches-per-epoch N   the current dataset's batches per epoch (checks for a size change)
      --stats                 print bytes read and time taken to stderr

  ckptview mark-complete <folder-or-training_state.pth> [--epoch N] [--force] [--copy-backup]
      Set epoch = N (default: the saved epoch) and step = 0, so a resume starts epoch N+1.
      The repair is verified before anything is written; the original is kept as
      training_state.pth.backup and the repaired file replaces it atomically.
      --force        replace an existing training_state.pth.backup
      --copy-backup  write the backup as a byte copy (default: keep the original file itself
                     under the backup name via a hard link, falling back to a copy)
      --stats        print bytes read and time taken to stderr

  ckptview --help | --version

Exit codes:
  0  done; nothing needs attention
  1  inspect: a warning or error finding, or a pickle that would run code when loaded;
     mark-complete: verification or writing failed (nothing was changed)
  2  bad input: a path that does not exist, nothing to read, a bad option, or a file that
     could not be read (the message names the file)
`;
