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

  ckptview health <folder-or-files...> [--json] [--tensors] [--stats]
      Read every tensor (in 4 MiB chunks) of each checkpoint's torch.save and safetensors files:
      NaN, +Inf, -Inf, zeros, min, max, mean, RMS per tensor; findings for NaN / Inf tensors,
      all-zero weights, negative optimizer exp_avg_sq and optimizer states shaped unlike their
      parameter. Exit 1 when something is wrong.
      --tensors  list every tensor (default: only the ones with a problem or not read)

  ckptview diff <A> <B> [--json] [--all]
  ckptview diff <run-folder> | <A> <B> <C>...
      Counters, metrics and hyper-parameters side by side; tensors identical / changed / missing
      (torch.save zips: from the CRC-32 records, reading no tensor bytes; others hashed). Findings:
      weights a save did not write, an unchanged optimizer, layers frozen across a run.
      Exit 1 when a finding needs attention.
      --all      list equal fields and identical tensors too

  ckptview set <checkpoint-file-or-folder> --<field> <value> [--force] [--copy-backup]
      Run a repair the checkpoint's trainer offers (inspect --json lists them under repair.offers):
        --epochs N              Ultralytics last.pt: raise train_args.epochs (train more epochs)
        --current-step N        kohya *-state folder: train_state.json current_step
        --latest TAG            DeepSpeed: point latest at a complete tag folder
        --last-checkpoint NAME  MMEngine: point last_checkpoint at a complete .pth of the folder
        --epoch N               timm: the saved epoch
        --best-model-checkpoint null   HF Trainer: clear a best_model_checkpoint naming a missing folder
      Verified by re-reading before anything is written; each changed file is replaced atomically
      and its original kept as <name>.backup. mark-complete also runs the trainers' own
      mark-complete repairs (HF Trainer, Lightning, fairseq) on files that are not EnStack states.

  ckptview --help | --version

Exit codes:
  0  done; nothing needs attention
  1  inspect, health, diff: a warning or error finding; inspect: or a pickle that would run code when loaded;
     mark-complete: verification or writing failed (nothing was changed)
  2  bad input: a path that does not exist, nothing to read, a bad option, or a file that
     could not be read (the message names the file)
`;
