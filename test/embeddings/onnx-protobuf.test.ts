import { describe, expect, it } from 'vitest';
import { encodeOnnxModel, encodeVarint, OnnxDataType, type OnnxModel } from '../../src/embeddings/onnx-protobuf.js';

/** Reads the top-level fields of a protobuf message: enough to check field numbers and nesting. */
function readFields(bytes: Uint8Array): { field: number; wireType: number; value: bigint | Uint8Array }[] {
  const fields: { field: number; wireType: number; value: bigint | Uint8Array }[] = [];
  let offset = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = bytes[offset++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (offset < bytes.length) {
    const key = Number(varint());
    const wireType = key & 7;
    if (wireType === 0) fields.push({ field: key >> 3, wireType, value: varint() });
    else if (wireType === 2) {
      const length = Number(varint());
      fields.push({ field: key >> 3, wireType, value: bytes.subarray(offset, offset + length) });
      offset += length;
    } else throw new Error(`unexpected wire type ${wireType}`);
  }
  return fields;
}

const text = (value: bigint | Uint8Array | undefined): string => new TextDecoder().decode(value as Uint8Array);
const only = (fields: ReturnType<typeof readFields>, field: number) => fields.filter((f) => f.field === field).map((f) => f.value);

const model: OnnxModel = {
  irVersion: 7,
  opsetVersion: 13,
  producerName: 'test',
  graph: {
    name: 'g',
    nodes: [{ name: 'lookup', opType: 'Gather', inputs: ['table', 'ids'], outputs: ['out'] }],
    initializers: [{ name: 'table', dims: [2, 2], data: Float32Array.from([1, -2, 0.5, 300]) }],
    inputs: [{ name: 'ids', elemType: OnnxDataType.INT64, shape: ['batch', 3] }],
    outputs: [{ name: 'out', elemType: OnnxDataType.FLOAT, shape: ['batch', 3, 2] }],
  },
};

describe('encodeVarint', () => {
  it('writes base-128 little-endian groups with continuation bits', () => {
    expect([...encodeVarint(0)]).toEqual([0]);
    expect([...encodeVarint(127)]).toEqual([127]);
    expect([...encodeVarint(300)]).toEqual([0xac, 0x02]);
  });

  it('writes negative numbers as ten-byte two’s complement, as int64 fields require', () => {
    expect([...encodeVarint(-1)]).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  });
});

describe('encodeOnnxModel', () => {
  const bytes = encodeOnnxModel(model);
  const top = readFields(bytes);

  it('puts ir_version, producer_name, graph and opset_import under onnx.proto’s field numbers', () => {
    expect(only(top, 1)).toEqual([7n]);
    expect(text(only(top, 2)[0])).toBe('test');
    expect(only(top, 7)).toHaveLength(1);
    const opset = readFields(only(top, 8)[0] as Uint8Array);
    expect(text(only(opset, 1)[0])).toBe('');
    expect(only(opset, 2)).toEqual([13n]);
  });

  it('encodes the node with inputs, outputs and op type in order', () => {
    const graph = readFields(only(top, 7)[0] as Uint8Array);
    const node = readFields(only(graph, 1)[0] as Uint8Array);
    expect(only(node, 1).map(text)).toEqual(['table', 'ids']);
    expect(only(node, 2).map(text)).toEqual(['out']);
    expect(text(only(node, 4)[0])).toBe('Gather');
  });

  it('stores initializer floats as little-endian raw_data with packed dims', () => {
    const graph = readFields(only(top, 7)[0] as Uint8Array);
    const tensor = readFields(only(graph, 5)[0] as Uint8Array);
    expect([...(only(tensor, 1)[0] as Uint8Array)]).toEqual([2, 2]);
    expect(only(tensor, 2)).toEqual([BigInt(OnnxDataType.FLOAT)]);
    expect(text(only(tensor, 8)[0])).toBe('table');
    const raw = only(tensor, 9)[0] as Uint8Array;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    expect([0, 1, 2, 3].map((i) => view.getFloat32(i * 4, true))).toEqual([1, -2, 0.5, 300]);
  });

  it('writes symbolic dims as dim_param and fixed dims as dim_value', () => {
    const graph = readFields(only(top, 7)[0] as Uint8Array);
    const input = readFields(only(graph, 11)[0] as Uint8Array);
    expect(text(only(input, 1)[0])).toBe('ids');
    const tensorType = readFields(only(readFields(only(input, 2)[0] as Uint8Array), 1)[0] as Uint8Array);
    expect(only(tensorType, 1)).toEqual([BigInt(OnnxDataType.INT64)]);
    const dims = only(readFields(only(tensorType, 2)[0] as Uint8Array), 1).map((d) => readFields(d as Uint8Array)[0]);
    expect(dims.map((d) => d?.field)).toEqual([2, 1]);
    expect(text(dims[0]?.value)).toBe('batch');
    expect(dims[1]?.value).toBe(3n);
  });

  it('gives identical bytes for the same model', () => {
    expect(Buffer.from(encodeOnnxModel(model)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('refuses an initializer whose data does not fill its dims', () => {
    const broken = { ...model, graph: { ...model.graph, initializers: [{ name: 't', dims: [3, 2], data: new Float32Array(4) }] } };
    expect(() => encodeOnnxModel(broken)).toThrow(/^onnx-protobuf: tensor t has 4 values/);
  });
});
