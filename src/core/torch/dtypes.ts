/**
 * Storage classes and dtypes as PyTorch names them (torch/storage.py `_dtype_to_storage_type_map`,
 * torch/_utils.py `_element_size`).
 */

/** A torch dtype with its element size in bytes. */
export interface TorchDtype {
  readonly name: string;
  readonly itemSize: number;
}

const STORAGE_DTYPES: Record<string, TorchDtype> = {
  DoubleStorage: { name: 'float64', itemSize: 8 },
  FloatStorage: { name: 'float32', itemSize: 4 },
  HalfStorage: { name: 'float16', itemSize: 2 },
  BFloat16Storage: { name: 'bfloat16', itemSize: 2 },
  LongStorage: { name: 'int64', itemSize: 8 },
  IntStorage: { name: 'int32', itemSize: 4 },
  ShortStorage: { name: 'int16', itemSize: 2 },
  CharStorage: { name: 'int8', itemSize: 1 },
  ByteStorage: { name: 'uint8', itemSize: 1 },
  BoolStorage: { name: 'bool', itemSize: 1 },
  ComplexFloatStorage: { name: 'complex64', itemSize: 8 },
  ComplexDoubleStorage: { name: 'complex128', itemSize: 16 },
  QInt8Storage: { name: 'qint8', itemSize: 1 },
  QUInt8Storage: { name: 'quint8', itemSize: 1 },
  QInt32Storage: { name: 'qint32', itemSize: 4 },
  QUInt4x2Storage: { name: 'quint4x2', itemSize: 1 },
  QUInt2x4Storage: { name: 'quint2x4', itemSize: 1 },
  Float8_e4m3fnStorage: { name: 'float8_e4m3fn', itemSize: 1 },
  Float8_e5m2Storage: { name: 'float8_e5m2', itemSize: 1 },
  UntypedStorage: { name: 'uint8', itemSize: 1 },
};

/** dtype of a storage class name such as `FloatStorage` (module prefix ignored); undefined if unknown. */
export function storageDtype(className: string): TorchDtype | undefined {
  return STORAGE_DTYPES[className.slice(className.lastIndexOf('.') + 1)];
}
