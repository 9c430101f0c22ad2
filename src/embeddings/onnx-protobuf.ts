/**
 * Just enough of the protobuf wire format and of ONNX's `ModelProto` to write a
 * small inference graph, so the test-model fixture needs no protobuf dependency.
 *
 * Field numbers are those of `onnx/onnx.proto` (checked against the generated
 * `onnx-proto` encoder that onnxruntime-web ships). Only what ONNX Runtime needs
 * to load a graph is modelled; everything else keeps its protobuf default.
 * Output is a pure function of the input, so the same model gives the same bytes.
 */

/** `TensorProto.DataType` values used here. */
export const OnnxDataType = {
  FLOAT: 1,
  INT64: 7,
} as const;
export type OnnxDataType = (typeof OnnxDataType)[keyof typeof OnnxDataType];

/** A tensor dimension: a fixed size, or a symbolic name such as `batch_size`. */
export type OnnxDim = number | string;

/** `ValueInfoProto` restricted to tensor types: a graph input or output. */
export interface OnnxValueInfo {
  name: string;
  elemType: OnnxDataType;
  shape: OnnxDim[];
}

/** `TensorProto` holding little-endian float32 data (written as `raw_data`). */
export interface OnnxFloatTensor {
  name: string;
  dims: number[];
  data: Float32Array;
}

/** `NodeProto` without attributes (the ops used here run on their defaults). */
export interface OnnxNode {
  name: string;
  opType: string;
  inputs: string[];
  outputs: string[];
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxFloatTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export interface OnnxModel {
  irVersion: number;
  /** Version of the default (`ai.onnx`) operator set. */
  opsetVersion: number;
  producerName: string;
  producerVersion?: string;
  graph: OnnxGraph;
}

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;

/** Accumulates one protobuf message; nested messages are encoded first and embedded as bytes. */
class ProtoWriter {
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.length += bytes.length;
  }

  private tag(field: number, wireType: number): void {
    this.push(encodeVarint(BigInt((field << 3) | wireType)));
  }

  /** int32/int64/enum field (negative values take ten bytes, as protobuf specifies). */
  integer(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    this.push(encodeVarint(BigInt(value)));
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.push(encodeVarint(BigInt(value.length)));
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, value: ProtoWriter): this {
    return this.bytes(field, value.finish());
  }

  /** Repeated integers in packed form, the proto3 default that onnx.proto relies on. */
  packedIntegers(field: number, values: readonly (number | bigint)[]): this {
    const body = new ProtoWriter();
    for (const value of values) body.push(encodeVarint(BigInt(value)));
    return this.bytes(field, body.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
}

/**
 * Encodes an integer as a protobuf base-128 varint. Negative numbers are written
 * as their 64-bit two's complement, which is how int32/int64 fields carry them.
 */
export function encodeVarint(value: number | bigint): Uint8Array {
  let rest = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    out.push(rest === 0n ? low : low | 0x80);
  } while (rest !== 0n);
  return Uint8Array.from(out);
}

// onnx.proto field numbers, grouped by message.
const MODEL = { irVersion: 1, producerName: 2, producerVersion: 3, graph: 7, opsetImport: 8 } as const;
const OPERATOR_SET_ID = { domain: 1, version: 2 } as const;
const GRAPH = { node: 1, name: 2, initializer: 5, input: 11, output: 12 } as const;
const NODE = { input: 1, output: 2, name: 3, opType: 4 } as const;
const TENSOR = { dims: 1, dataType: 2, name: 8, rawData: 9 } as const;
const VALUE_INFO = { name: 1, type: 2 } as const;
const TYPE = { tensorType: 1 } as const;
const TYPE_TENSOR = { elemType: 1, shape: 2 } as const;
const TENSOR_SHAPE = { dim: 1 } as const;
const DIMENSION = { dimValue: 1, dimParam: 2 } as const;

function writeNode(node: OnnxNode): ProtoWriter {
  const writer = new ProtoWriter();
  for (const input of node.inputs) writer.string(NODE.input, input);
  for (const output of node.outputs) writer.string(NODE.output, output);
  return writer.string(NODE.name, node.name).string(NODE.opType, node.opType);
}

function writeFloatTensor(tensor: OnnxFloatTensor): ProtoWriter {
  const expected = tensor.dims.reduce((product, dim) => product * dim, 1);
  if (expected !== tensor.data.length) {
    throw new Error(`onnx-protobuf: tensor ${tensor.name} has ${tensor.data.length} values for dims [${tensor.dims.join(', ')}]`);
  }
  // ONNX raw_data is little-endian whatever the host; DataView makes that explicit.
  const raw = new Uint8Array(tensor.data.length * 4);
  const view = new DataView(raw.buffer);
  tensor.data.forEach((value, index) => view.setFloat32(index * 4, value, true));
  return new ProtoWriter()
    .packedIntegers(TENSOR.dims, tensor.dims)
    .integer(TENSOR.dataType, OnnxDataType.FLOAT)
    .string(TENSOR.name, tensor.name)
    .bytes(TENSOR.rawData, raw);
}

function writeValueInfo(info: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const dim of info.shape) {
    const dimension = new ProtoWriter();
    if (typeof dim === 'number') dimension.integer(DIMENSION.dimValue, dim);
    else dimension.string(DIMENSION.dimParam, dim);
    shape.message(TENSOR_SHAPE.dim, dimension);
  }
  const tensorType = new ProtoWriter().integer(TYPE_TENSOR.elemType, info.elemType).message(TYPE_TENSOR.shape, shape);
  const type = new ProtoWriter().message(TYPE.tensorType, tensorType);
  return new ProtoWriter().string(VALUE_INFO.name, info.name).message(VALUE_INFO.type, type);
}

function writeGraph(graph: OnnxGraph): ProtoWriter {
  const writer = new ProtoWriter();
  for (const node of graph.nodes) writer.message(GRAPH.node, writeNode(node));
  writer.string(GRAPH.name, graph.name);
  for (const tensor of graph.initializers) writer.message(GRAPH.initializer, writeFloatTensor(tensor));
  for (const input of graph.inputs) writer.message(GRAPH.input, writeValueInfo(input));
  for (const output of graph.outputs) writer.message(GRAPH.output, writeValueInfo(output));
  return writer;
}

/** Serializes an ONNX `ModelProto` to the bytes of a `.onnx` file. */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const writer = new ProtoWriter().integer(MODEL.irVersion, model.irVersion).string(MODEL.producerName, model.producerName);
  if (model.producerVersion !== undefined) writer.string(MODEL.producerVersion, model.producerVersion);
  writer.message(MODEL.graph, writeGraph(model.graph));
  // An empty domain means the default ai.onnx operator set.
  writer.message(MODEL.opsetImport, new ProtoWriter().string(OPERATOR_SET_ID.domain, '').integer(OPERATOR_SET_ID.version, model.opsetVersion));
  return writer.finish();
}
