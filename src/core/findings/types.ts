/** A finding across the loaded checkpoints: a sentence with the evidence behind it. */
export interface Finding {
  /** Stable id of the kind of finding plus its subject, e.g. `lost-epoch-end:last_checkpoint`. */
  readonly id: string;
  readonly severity: 'error' | 'warning' | 'info';
  /** Short headline. */
  readonly title: string;
  /** The finding in one or two sentences. */
  readonly sentence: string;
  /** The facts it rests on, one per line. */
  readonly evidence: string[];
  /** Ids of the checkpoints it concerns. */
  readonly checkpoints: string[];
  /** Id of the run it concerns (`runs/groupRuns.ts`); absent for findings about the whole drop. */
  readonly run?: string;
  /** What to do about it, when there is something to do. */
  readonly suggestion?: string;
}
