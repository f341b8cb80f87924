/**
 * Scalars out of a TensorBoard event file (`events.out.tfevents.<time>.<host>.<pid>.<n>`, written
 * by TensorFlow's `EventsWriter`, PyTorch's `torch.utils.tensorboard.SummaryWriter` or
 * tensorboardX): a TFRecord file (see tfrecord.ts) whose records are `tensorflow.Event` protobufs.
 *
 * Messages read (`tensorflow/core/util/event.proto`, `tensorflow/core/framework/summary.proto`):
 * - Event: wall_time (1, double, seconds since the Unix epoch), step (2, int64),
 *   file_version (3, string, "brain.Event:2" in the first record), summary (5, Summary);
 *   graph_def, log_message, session_log and the rest are skipped.
 * - Summary: value (1, repeated Value).
 * - Value: tag (1, string), simple_value (2, float), tensor (8, TensorProto),
 *   metadata (9, SummaryMetadata: plugin_data (1) { plugin_name (1, string) }); image, histo,
 *   audio and other plugins' tensors are ignored.
 *
 * A point is a scalar when the Value has simple_value (old style: `add_scalar`, tf.summary v1), or
 * when it has a tensor and its tag's plugin is "scalars" (new style: TF2 `tf.summary.scalar`,
 * PyTorch `add_scalar(new_style=True)`). The plugin of a tag is taken from the first Value of that
 * tag that carries metadata, because TensorFlow's writer drops the metadata from every later
 * value of the same tag (TensorBoard `plugin_event_accumulator.py` keeps the first one the same way).
 */
import type { ByteSource } from '../bytes/byteSource';
import { ProtobufError, ProtoReader, WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT } from './protobuf';
import { scalarFromTensorProto } from './tensorProto';
import { scanTfRecords, type TfRecordScanOptions } from './tfrecord';

/** One logged scalar. */
export interface ScalarPoint {
  /** Event.step: the global step the trainer passed to the writer (0 when the event has none). */
  step: number;
  /** The value, exactly as stored (a float32 simple_value or tensor widened exactly to a number). */
  value: number;
  /** Event.wall_time: seconds (not milliseconds) since 1970-01-01T00:00:00Z, with a fraction. */
  wallTime: number;
}

/** What {@link readEventFile} found. */
export interface EventFileScalars {
  /** Event.file_version of the first event that has one, e.g. "brain.Event:2"; absent when none does. */
  fileVersion?: string;
  /** Scalar points by tag; tags in order of first appearance, points in file order (not sorted by step). */
  series: Record<string, ScalarPoint[]>;
  /** Complete TFRecord records found (one Event each), including records skipped as damaged. */
  records: number;
  /**
   * Sentences about what could not be read: a last record cut short (the job is still writing),
   * damaged records skipped, tags whose tensors are not single numbers, a record limit reached.
   * Empty for a healthy, complete file.
   */
  problems: string[];
}

/** Options of {@link readEventFile}. */
export interface ReadEventFileOptions {
  /** Stop after this many records (default: no limit); stopping early adds a problem. */
  maxRecords?: number;
  /**
   * Check every record's data CRC-32C (default true); `false` saves the checksum pass over large
   * files with images. Each 12-byte header's length CRC is checked either way (see tfrecord.ts).
   */
  verifyCrc?: boolean;
  /** Size of each read from the source, in bytes (default 1 MiB). */
  windowBytes?: number;
  /** Records larger than this many bytes are skipped unread (default 64 MiB), with a problem. */
  maxRecordBytes?: number;
}

/** At most this many problem sentences are kept; the rest are counted in one closing sentence. */
const MAX_PROBLEMS = 50;

/** One Summary.Value, as far as this reader cares. */
interface SummaryValue {
  tag: string;
  simpleValue?: number;
  tensor?: Uint8Array;
  pluginName?: string;
}

/** One Event, as far as this reader cares. */
interface DecodedEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  values: SummaryValue[];
}

/**
 * Read every scalar series of a TensorBoard event file, through `src` in windows of
 * `options.windowBytes` (1 MiB by default), never the whole file at once.
 *
 * Never throws for a damaged or growing file: a last record cut short (the training job is still
 * writing) ends the read, a record whose checksum fails is skipped, a record that is not a valid
 * Event is skipped; each adds a sentence to `problems` and every other record is still read.
 *
 * @param src     the event file
 * @param options record limit, CRC checking, window size
 * @returns file version, `{tag: points}` in file order, record count and problems
 * @throws CheckpointFormatError `crc-mismatch` when the first 12 bytes are not a TFRecord header,
 *         i.e. "this is not a TensorBoard event file"; errors thrown by `src.read`
 */
export async function readEventFile(src: ByteSource, options: ReadEventFileOptions = {}): Promise<EventFileScalars> {
  const series = new Map<string, ScalarPoint[]>();
  const pluginByTag = new Map<string, string>();
  const reportedTags = new Set<string>();
  const problems: string[] = [];
  let dropped = 0;
  let fileVersion: string | undefined;

  const problem = (sentence: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(sentence);
    else dropped += 1;
  };

  const scanOptions: TfRecordScanOptions = {
    verifyCrc: options.verifyCrc,
    maxRecords: options.maxRecords,
    windowBytes: options.windowBytes,
    maxRecordBytes: options.maxRecordBytes,
    kindName: 'TensorBoard event file',
  };

  const { records } = await scanTfRecords(
    src,
    {
      problem,
      record(data, index, offset) {
        let event: DecodedEvent;
        try {
          event = decodeEvent(data);
        } catch (e) {
          if (!(e instanceof ProtobufError)) throw e;
          problem(`Record ${index + 1} at byte ${offset} has valid checksums but is not a readable Event (${e.message} at byte ${e.offset} of its data): skipped.`);
          return;
        }
        if (index === 0 && event.fileVersion === undefined) {
          problem('The first record has no file_version (such as "brain.Event:2"): the start of this event file is missing or it was not written by a TensorBoard writer.');
        }
        if (fileVersion === undefined && event.fileVersion !== undefined) fileVersion = event.fileVersion;

        for (const v of event.values) {
          if (v.pluginName !== undefined && !pluginByTag.has(v.tag)) pluginByTag.set(v.tag, v.pluginName);
          let value: number | undefined;
          if (v.simpleValue !== undefined) {
            value = v.simpleValue;
          } else if (v.tensor !== undefined && pluginByTag.get(v.tag) === 'scalars') {
            let reason: string;
            try {
              const s = scalarFromTensorProto(v.tensor);
              if (s.ok) value = s.value;
              reason = s.ok ? '' : s.reason;
            } catch (e) {
              if (!(e instanceof ProtobufError)) throw e;
              reason = `its tensor is not a readable TensorProto (${e.message})`;
            }
            if (value === undefined && !reportedTags.has(v.tag)) {
              reportedTags.add(v.tag);
              problem(`Tag "${v.tag}" (first at step ${event.step}, record ${index + 1}) is marked as a scalar but ${reason}: such points are left out.`);
            }
          }
          if (value === undefined) continue;
          let points = series.get(v.tag);
          if (points === undefined) {
            points = [];
            series.set(v.tag, points);
          }
          points.push({ step: event.step, value, wallTime: event.wallTime });
        }
      },
    },
    scanOptions,
  );

  if (dropped > 0) problems.push(`... and ${dropped} more problems of the kinds above.`);
  const result: EventFileScalars = { series: Object.fromEntries(series), records, problems };
  if (fileVersion !== undefined) result.fileVersion = fileVersion;
  return result;
}

/**
 * Decode a `tensorflow.Event` (event.proto) down to its scalar-relevant parts. A field with an
 * unexpected wire type is skipped like an unknown field (protobuf parsing rules).
 * @throws ProtobufError for malformed bytes
 */
function decodeEvent(data: Uint8Array): DecodedEvent {
  const r = new ProtoReader(data);
  const event: DecodedEvent = { wallTime: 0, step: 0, values: [] };
  while (!r.done) {
    const { field, wireType } = r.key();
    if (field === 1 && wireType === WIRE_I64) event.wallTime = r.double();
    else if (field === 2 && wireType === WIRE_VARINT) event.step = r.int64();
    else if (field === 3 && wireType === WIRE_LEN) event.fileVersion = r.string();
    else if (field === 5 && wireType === WIRE_LEN) decodeSummary(r.message(), event.values);
    else r.skip(wireType, field);
  }
  return event;
}

/** Summary (summary.proto): value = 1, repeated Summary.Value; appended to `out`. */
function decodeSummary(r: ProtoReader, out: SummaryValue[]): void {
  while (!r.done) {
    const { field, wireType } = r.key();
    if (field === 1 && wireType === WIRE_LEN) out.push(decodeValue(r.message()));
    else r.skip(wireType, field);
  }
}

/** Summary.Value: tag 1, simple_value 2 (float), tensor 8, metadata 9; the rest skipped. */
function decodeValue(r: ProtoReader): SummaryValue {
  const v: SummaryValue = { tag: '' };
  while (!r.done) {
    const { field, wireType } = r.key();
    if (field === 1 && wireType === WIRE_LEN) v.tag = r.string();
    else if (field === 2 && wireType === WIRE_I32) v.simpleValue = r.float();
    else if (field === 8 && wireType === WIRE_LEN) v.tensor = r.bytesField();
    else if (field === 9 && wireType === WIRE_LEN) {
      const name = pluginName(r.message());
      if (name !== undefined) v.pluginName = name;
    } else r.skip(wireType, field);
  }
  return v;
}

/** SummaryMetadata.plugin_data (1) .plugin_name (1), or undefined when absent. */
function pluginName(r: ProtoReader): string | undefined {
  let name: string | undefined;
  while (!r.done) {
    const { field, wireType } = r.key();
    if (field === 1 && wireType === WIRE_LEN) {
      const p = r.message();
      while (!p.done) {
        const k = p.key();
        if (k.field === 1 && k.wireType === WIRE_LEN) name = p.string();
        else p.skip(k.wireType, k.field);
      }
    } else r.skip(wireType, field);
  }
  return name;
}
