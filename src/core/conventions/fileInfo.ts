/** How a torch.save file of a checkpoint was stored: container format, pickle protocol, anomalies. */
import type { TorchFile, TorchFormat } from '../torch/torchFile';

/** How a torch.save file of a checkpoint was stored. */
export interface TorchFileInfo {
  /** ByteSource name (path as dropped). */
  readonly file: string;
  /** What the file is for: `optimizer`, `scheduler`, `scaler`, `rng state`, `training arguments`, `lightning checkpoint`. */
  readonly role: string;
  readonly format: TorchFormat;
  /** Pickle protocol of the main pickle (PROTO opcode; pickletools inference without one). */
  readonly pickleProtocol: number;
  /** Non-fatal oddities of the container, as sentences. */
  readonly anomalies: string[];
}

/** {@link TorchFileInfo} of a parsed file. */
export function torchFileInfo(file: TorchFile, role: string): TorchFileInfo {
  return { file: file.file, role, format: file.format, pickleProtocol: file.main.result.protocol, anomalies: [...file.anomalies] };
}

