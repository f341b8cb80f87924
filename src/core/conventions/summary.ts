/**
 * `CheckpointSummary`: what every convention reader returns and what the page, the CLI and the
 * share link show. Plain data only (structured-clone safe): no value trees, no bytes. Numbers may
 * be NaN or ±Infinity (Hugging Face logs them), which plain JSON cannot hold.
 */
import type { HfTrainerSummary } from './hfTrainer/readHfTrainer';
import type { LightningSummary } from './lightning/readLightning';
import type { SafetySummary } from '../safety/types';
import type { RepairOffer } from '../repair/offers';

export type { GlobalFinding, SafetySummary, SafetyVerdict } from '../safety/types';

/**
 * Which convention recognised the checkpoint: the `id` of a convention in `conventions/registry.ts`
 * (e.g. `enstack`, `hf-trainer`, `ultralytics`), or `unreadable`.
 */
export type CheckpointKind = string;

/** The kind of a checkpoint whose reading was stopped before it was read (not a problem with the file). */
export const NOT_READ = 'not-read';

/** The seed tool's status decision. */
export type EpochStatus = 'complete' | 'incomplete' | 'unknown';

/** Where a resumed run starts. `step` counts batches into `epoch` (0 = at its start). */
export interface ResumePoint {
  readonly epoch: number;
  readonly step: number;
  /** Sentence in the seed tool's words, e.g. "continue epoch 1 from step 1000" / "start epoch 2". */
  readonly text: string;
}

/** Epoch/step state of a training run, as saved. Units: epochs (1-based as the trainer counts), batches. */
export interface TrainingProgress {
  readonly epoch: number;
  /** Batches done in `epoch` (0 means the epoch completed, by the EnStack convention). */
  readonly step: number;
  /** Batches per epoch as saved; undefined when the key is absent (old checkpoints). */
  readonly totalBatches: number | undefined;
  readonly status: EpochStatus;
  /** step / totalBatches * 100 rounded to one decimal; undefined when complete or unknown. */
  readonly progressPercent: number | undefined;
  /** totalBatches - step; undefined when complete or unknown. */
  readonly remainingBatches: number | undefined;
  readonly resume: ResumePoint;
  /** Why progress cannot be determined, when it cannot. */
  readonly note?: string;
  /** False when only the epoch was saved (no step): `step` is then 0 and means nothing. */
  readonly stepSaved?: boolean;
}

/**
 * Where training stands, in one model shared by every convention (`conventions/position.ts`
 * compares positions only through it). Units: epochs, and `stepUnit` for the steps.
 */
export interface TrainingPosition {
  /** Epochs fully done (a count: 0 = none). Undefined when the trainer saved no epoch. */
  readonly epochsCompleted: number | undefined;
  /** The epoch number exactly as the trainer saved it. */
  readonly epoch: number | undefined;
  /** 0 when the trainer numbers epochs from 0 (Lightning, Ultralytics, timm), 1 when from 1. */
  readonly epochBase: 0 | 1;
  /** What the saved epoch number means, in the trainer's terms (CONVENTIONS.md §1). */
  readonly epochMeaning: string;
  /** Steps done in the epoch after the completed ones (0 = at an epoch boundary); undefined when not saved. */
  readonly stepInEpoch: number | undefined;
  /** Steps per epoch, when saved or derivable. */
  readonly stepsPerEpoch: number | undefined;
  /** What a step counts: batches, optimizer update steps or iterations. */
  readonly stepUnit: 'batches' | 'optimizer steps' | 'iterations';
  /** Global step (optimizer updates or iterations over the whole run), when saved. */
  readonly globalStep: number | undefined;
  /** Epochs (or steps, for step-based runs) the run was planned for. */
  readonly plannedEpochs?: number;
  /** True when the run reached its planned end: a resume trains nothing. */
  readonly finished: boolean;
  /** False when the files a resume needs are missing (e.g. a stripped optimizer); undefined when unknown. */
  readonly resumable: boolean | undefined;
  /** Where a resume starts, in the trainer's own words. */
  readonly resume: string;
  /** Why something cannot be told, or the rule's source, in a sentence. */
  readonly note?: string;
}

/** A metric saved in a checkpoint. */
export interface SavedMetric {
  /** The field name as saved (`best_fitness`, `best_acc1`, `metric`, `best_val_f1`...). */
  readonly name: string;
  readonly value: number;
  /** True when the trainer saved it as the best value so far. */
  readonly best: boolean;
}

/** A field the trainer saved, as a labelled line ("train_args.epochs: 100"). */
export interface SavedFact {
  readonly label: string;
  readonly value: string;
}

/** Optimizer state summary (torch.optim `state_dict()`: `state` + `param_groups`). */
export interface OptimizerSummary {
  /** Entries in `state` (parameters with optimizer state). */
  readonly paramStates: number;
  /** Parameters across `param_groups`. */
  readonly params: number;
  /** The largest per-parameter `step` (optimizer steps taken), read from its 0-d tensor or int. */
  readonly steps: number | undefined;
  /** Learning rate of the first param group. */
  readonly lr: number | undefined;
  /** Keys of a param state, e.g. `step, exp_avg, exp_avg_sq` (AdamW). */
  readonly stateKeys: string[];
}

/** LR scheduler summary (torch.optim.lr_scheduler `state_dict()`). */
export interface SchedulerSummary {
  readonly lastEpoch: number | undefined;
  readonly lastLr: number | undefined;
}

/** GradScaler summary (torch.cuda.amp.GradScaler `state_dict()`). */
export interface ScalerSummary {
  readonly scale: number | undefined;
}

/** Model weights found beside the training state. */
export interface ModelSummary {
  /** File the weights came from (`model.safetensors`, `pytorch_model.bin`...). */
  readonly file: string;
  /** Total number of elements over all tensors. */
  readonly parameters: number;
  readonly tensors: number;
  /** dtypes present, most common first. */
  readonly dtypes: string[];
  /** From config.json when present. */
  readonly architecture?: string;
  readonly modelType?: string;
  /** config.json `torch_dtype`. */
  readonly configDtype?: string;
  /** config.json `id2label` values, when present. */
  readonly labels?: string[];
  /** Size on disk of the weight files, in bytes. */
  readonly bytesOnDisk?: number;
  /** Shards of a sharded set (`model-00001-of-00002.safetensors`), when sharded. */
  readonly shards?: number;
  /** safetensors `__metadata__`. */
  readonly metadata?: Record<string, string>;
  /** PEFT adapter_config.json: peft_type, r, lora_alpha, target_modules, base_model_name_or_path. */
  readonly adapter?: Record<string, string>;
  /** The first tensors: name, dtype, shape (at most 200). */
  readonly tensorList?: { name: string; dtype: string; shape: number[] }[];
}

/** One file belonging to a checkpoint. */
export interface FileSummary {
  /** Path relative to what was dropped. */
  readonly path: string;
  readonly size: number;
  /** What the file is for: `training state`, `model weights`, `config`, ... */
  readonly role: string;
  readonly format?: string;
  readonly pickleProtocol?: number;
}

/** A problem with one file, in words a user understands. */
export interface FileProblem {
  readonly file: string;
  readonly code: string;
  readonly message: string;
  readonly offset?: number;
  readonly member?: string;
}

/** A training state's top-level `epoch` and `step` ints, as saved (no convention's reading applied). */
export interface EpochAndStep {
  readonly epoch: number;
  readonly step: number;
}

/** Everything shown about one checkpoint. */
export interface CheckpointSummary {
  /** Stable id: the folder path (or file path for single-file checkpoints). */
  readonly id: string;
  /** Display name: the folder or file name. */
  readonly name: string;
  /** Folder path relative to what was dropped ('' for the root). */
  readonly path: string;
  /**
   * The run folder as a share link without paths keeps it (a label without slashes); absent: the
   * run folder is derived from `path` (`runs/groupRuns.ts`).
   */
  readonly runFolder?: string;
  readonly kind: CheckpointKind;
  /** Hugging Face Trainer details (kind `hf-trainer`). */
  readonly hf?: HfTrainerSummary;
  /** PyTorch Lightning details (kind `lightning`). */
  readonly lightning?: LightningSummary;
  /** The framework's own best metric (HF best_metric, Lightning best_model_score), with its name. */
  readonly bestMetric?: { readonly name: string; readonly value: number };
  readonly files: FileSummary[];
  /** Sum of file sizes in bytes. */
  readonly totalBytes: number;
  readonly progress?: TrainingProgress;
  /** The convention's position, in the model every convention shares. */
  readonly position?: TrainingPosition;
  /** Metrics the trainer saved (best ones flagged). */
  readonly metrics?: SavedMetric[];
  /** The trainer's own fields worth showing, as labelled lines. */
  readonly facts?: SavedFact[];
  readonly bestValF1?: number;
  readonly bestValAcc?: number;
  /** present = the state dict holds an optimizer state. */
  readonly optimizer?: OptimizerSummary;
  readonly scheduler?: SchedulerSummary;
  readonly scaler?: ScalerSummary;
  readonly model?: ModelSummary;
  /**
   * Per-evaluation metric history saved inside the state (a `history` dict of lists, one entry per
   * epoch), by metric name.
   */
  readonly history?: Record<string, number[]>;
  readonly safety?: SafetySummary;
  /** Files that could not be read. */
  readonly problems: FileProblem[];
  /** Things worth knowing that are not errors. */
  readonly warnings: string[];
  /**
   * Whether EnStack's "mark epoch complete" applies (and why not when it does not), plus the repairs
   * the convention offers (`repair/offers.ts`), refused ones included with their reason.
   */
  readonly repair: {
    readonly eligible: boolean;
    readonly reason: string;
    readonly file?: string;
    /** The file's top-level `epoch` and `step` as read: the repair refuses a file that no longer holds them (it changed since). */
    readonly read?: EpochAndStep;
    readonly offers?: readonly RepairOffer[];
  };
}

/**
 * The summary of a checkpoint whose reading was stopped before it was read ({@link NOT_READ}): no
 * files, no problems, a warning saying so, and no repair.
 */
export function notReadSummary(id: string, name: string, path: string): CheckpointSummary {
  return {
    id,
    name,
    path,
    kind: NOT_READ,
    files: [],
    totalBytes: 0,
    problems: [],
    warnings: ['reading was stopped before this checkpoint was read; drop it again to read it'],
    repair: { eligible: false, reason: 'it was not read' },
  };
}
