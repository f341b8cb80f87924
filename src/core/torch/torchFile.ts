/**
 * Types of a parsed torch.save file (PyTorch torch/serialization.py): the zip format (PyTorch
 * >= 1.6) and the legacy pre-1.6 stream of pickles followed by raw storages.
 */
import type { ZipEntry, ZipIndex } from '../zip/zipTypes';
import type { PickleResult } from '../pickle/machine';
import type { PyValue, StorageRef } from '../pickle/values';
import type { CheckpointFormatError } from '../errors';

/**
 * `zip`: torch >= 1.6 archive; `legacy`: pre-1.6 stream; `tar`: the pre-0.4 tar archive (torch
 * tries it first for any non-zip file); `pickle`: a bare pickle (not torch.save).
 */
export type TorchFormat = 'zip' | 'legacy' | 'tar' | 'pickle';

/** A pickle of the file with where its bytes are, for scans and repair. */
export interface LocatedPickle {
  /** What the pickle is: `data.pkl`, `magic number`, `protocol version`, `sys_info`, `storage keys`, `trailing pickle`. */
  readonly label: string;
  /** Zip member that holds it, when any. */
  readonly member?: string;
  /** For a pickle found inside a bytes argument (e.g. of pickle.loads): offset of that call in its parent pickle. */
  readonly nestedIn?: { readonly label: string; readonly offset: number };
  /** File offset of byte 0 of `result` offsets (the zip entry data start, or 0 in a legacy stream). */
  readonly fileOffset: number;
  readonly result: PickleResult;
}

/** Zip-specific layout of a torch archive. */
export interface TorchZipLayout {
  readonly index: ZipIndex;
  /** Top folder including the slash, e.g. `training_state/` or `archive/`. */
  readonly prefix: string;
  readonly dataPkl: ZipEntry;
  /** File offset of the first byte of data.pkl. */
  readonly dataPklOffset: number;
  /** Contents of the `version` record, trimmed. */
  readonly version: string | undefined;
  /** Contents of the `byteorder` record when present (`little` / `big`). */
  readonly byteorder: string | undefined;
}

/** Legacy-format layout. */
export interface TorchLegacyLayout {
  /** `protocol_version` pickle value (1001 in every released PyTorch). */
  readonly protocolVersion: number | undefined;
  readonly sysInfo: PyValue | undefined;
  /** Storage keys in the order their raw bytes follow the pickles. */
  readonly storageKeys: string[];
  /** File offset where the first storage record (int64 element count + data) starts. */
  readonly storagesOffset: number;
}

/** A parsed torch.save file: the root value plus everything needed to read scalars and repair it. */
export interface TorchFile {
  readonly file: string;
  readonly format: TorchFormat;
  /** The root object torch.load would return (symbolically). */
  readonly value: PyValue;
  /** The main pickle (data.pkl, or the legacy object pickle). */
  readonly main: LocatedPickle;
  /** Every pickle in the file, main included, for the safety scan. */
  readonly pickles: LocatedPickle[];
  /** The bytes `main.result` offsets index into (data.pkl contents, or the legacy head window). */
  readonly mainBytes: Uint8Array;
  readonly storages: Map<string, StorageRef>;
  readonly zip?: TorchZipLayout;
  readonly legacy?: TorchLegacyLayout;
  /** Non-fatal oddities (extra data after STOP, zip anomalies), as sentences. */
  readonly anomalies: string[];
  /**
   * Integrity problems that did not stop the parse (data.pkl CRC mismatch, tensor references
   * torch.load cannot resolve). Values shown from such a file may be wrong; it is never repaired.
   */
  readonly integrity: CheckpointFormatError[];
}
