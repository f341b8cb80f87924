/**
 * The single number held by a `tensorflow.TensorProto` (`tensorflow/core/framework/tensor.proto`,
 * `tensor_shape.proto`, `types.proto`), as TensorBoard's scalars plugin reads a new-style scalar
 * summary (`tensorboard/plugins/scalar/summary_v2.py` writes a rank-0 tensor; PyTorch's
 * `torch/utils/tensorboard/summary.py` `scalar(new_style=True)` writes `float_val=[x]`, or
 * `double_val=[x]` with `double_precision=True`).
 *
 * Fields read: dtype (1, enum), tensor_shape (2: dim (2) { size (1, int64) }), tensor_content
 * (4, raw little-endian bytes), float_val (5), double_val (6), int_val (7), int64_val (10); the
 * repeated numeric fields may be packed (one LEN field) or not (one field per value).
 */
import { ProtoReader, WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT } from './protobuf';

/** `tensorflow.DataType` values this reader turns into numbers (`types.proto`). */
export const DT_FLOAT = 1;
/** 64-bit IEEE float. */
export const DT_DOUBLE = 2;
/** 32-bit signed integer. */
export const DT_INT32 = 3;
/** 64-bit signed integer (converted to a JS number, exact up to 2^53). */
export const DT_INT64 = 9;

const DTYPE_NAMES: Record<number, string> = {
  0: 'DT_INVALID', 1: 'DT_FLOAT', 2: 'DT_DOUBLE', 3: 'DT_INT32', 4: 'DT_UINT8', 5: 'DT_INT16', 6: 'DT_INT8',
  7: 'DT_STRING', 8: 'DT_COMPLEX64', 9: 'DT_INT64', 10: 'DT_BOOL', 14: 'DT_BFLOAT16', 17: 'DT_UINT16',
  18: 'DT_COMPLEX128', 19: 'DT_HALF', 22: 'DT_UINT32', 23: 'DT_UINT64',
};

/** Name of a `tensorflow.DataType` enum value, e.g. 1 -> "DT_FLOAT". */
export function dtypeName(dtype: number): string {
  return DTYPE_NAMES[dtype] ?? `dtype ${dtype}`;
}

/** The number in a one-element tensor, or why there is none. */
export type TensorScalar = { ok: true; value: number } | { ok: false; reason: string };

/** First value and count of one repeated numeric field. */
interface Repeated {
  count: number;
  first: number;
}

/**
 * Decode a serialized `TensorProto` that should hold exactly one number.
 *
 * Rules (TensorFlow `tensor_util.make_ndarray`): `tensor_content`, when present, holds every element
 * as raw little-endian bytes; otherwise the typed repeated field holds them, and a tensor with no
 * values at all is filled with zeros. The shape must have one element (rank 0, or every dim 1).
 *
 * @param bytes the TensorProto message
 * @returns the value as a JS number (float32 widened exactly), or `ok: false` with a reason
 *          (another dtype, more than one element, sizes that disagree)
 * @throws ProtobufError when the bytes are not a well-formed protobuf message
 */
export function scalarFromTensorProto(bytes: Uint8Array): TensorScalar {
  const r = new ProtoReader(bytes);
  let dtype = 0;
  let dims: number[] = [];
  let content: Uint8Array | undefined;
  const floats: Repeated = { count: 0, first: 0 };
  const doubles: Repeated = { count: 0, first: 0 };
  const ints: Repeated = { count: 0, first: 0 };
  const int64s: Repeated = { count: 0, first: 0 };

  while (!r.done) {
    const { field, wireType } = r.key();
    if (field === 1 && wireType === WIRE_VARINT) dtype = r.int32();
    else if (field === 2 && wireType === WIRE_LEN) dims = readShape(r.message());
    else if (field === 4 && wireType === WIRE_LEN) content = r.bytesField();
    else if (field === 5 && wireType === WIRE_I32) add(floats, r.float());
    else if (field === 5 && wireType === WIRE_LEN) packed(r.message(), floats, (m) => m.float());
    else if (field === 6 && wireType === WIRE_I64) add(doubles, r.double());
    else if (field === 6 && wireType === WIRE_LEN) packed(r.message(), doubles, (m) => m.double());
    else if (field === 7 && wireType === WIRE_VARINT) add(ints, r.int32());
    else if (field === 7 && wireType === WIRE_LEN) packed(r.message(), ints, (m) => m.int32());
    else if (field === 10 && wireType === WIRE_VARINT) add(int64s, r.int64());
    else if (field === 10 && wireType === WIRE_LEN) packed(r.message(), int64s, (m) => m.int64());
    else r.skip(wireType, field);
  }

  const elements = dims.reduce((a, b) => a * b, 1);
  if (elements !== 1) return { ok: false, reason: `it is a tensor of shape [${dims.join(', ')}], not a single value` };

  let itemBytes: number;
  let values: Repeated;
  let fromContent: (view: DataView) => number;
  switch (dtype) {
    case DT_FLOAT:
      itemBytes = 4;
      values = floats;
      fromContent = (v) => v.getFloat32(0, true);
      break;
    case DT_DOUBLE:
      itemBytes = 8;
      values = doubles;
      fromContent = (v) => v.getFloat64(0, true);
      break;
    case DT_INT32:
      itemBytes = 4;
      values = ints;
      fromContent = (v) => v.getInt32(0, true);
      break;
    case DT_INT64:
      itemBytes = 8;
      values = int64s;
      fromContent = (v) => Number(v.getBigInt64(0, true));
      break;
    default:
      return { ok: false, reason: `its tensor has type ${dtypeName(dtype)}, which this viewer does not read as a number` };
  }

  if (content !== undefined && content.length > 0) {
    if (content.length !== itemBytes) {
      return { ok: false, reason: `its tensor_content holds ${content.length} bytes, not the ${itemBytes} of one ${dtypeName(dtype)}` };
    }
    return { ok: true, value: fromContent(new DataView(content.buffer, content.byteOffset, content.byteLength)) };
  }
  if (values.count > 1) return { ok: false, reason: `its tensor lists ${values.count} values for a single element` };
  return { ok: true, value: values.count === 1 ? values.first : 0 };
}

/** Dim sizes of a `TensorShapeProto` (dim = 2 { size = 1 }); [] for rank 0 or unknown rank. */
function readShape(r: ProtoReader): number[] {
  const dims: number[] = [];
  while (!r.done) {
    const { field, wireType } = r.key();
    if (field === 2 && wireType === WIRE_LEN) {
      const d = r.message();
      let size = 0;
      while (!d.done) {
        const k = d.key();
        if (k.field === 1 && k.wireType === WIRE_VARINT) size = d.int64();
        else d.skip(k.wireType, k.field);
      }
      dims.push(size);
    } else {
      r.skip(wireType, field);
    }
  }
  return dims;
}

function add(rep: Repeated, value: number): void {
  if (rep.count === 0) rep.first = value;
  rep.count += 1;
}

function packed(r: ProtoReader, rep: Repeated, read: (r: ProtoReader) => number): void {
  while (!r.done) add(rep, read(r));
}
