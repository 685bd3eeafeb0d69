/**
 * Typed access to a node's attributes. Every attribute must be one the operator handler knows
 * (an unknown one could change the meaning, so it is refused rather than ignored), appear once,
 * and have the type asked for.
 */
import { ValueError } from '@smolml/core';
import { AttributeType, type AttributeProto, type TensorProto, int64ToNumber } from '../proto.js';

/**
 * The shortest decimal that is the same float32: ONNX stores float attributes in 32 bits, so
 * PyTorch's `negative_slope=0.2` arrives as 0.20000000298...; reading it back as 0.2 gives the
 * value the model was written with (and float64 results that match PyTorch's float64 ones).
 */
export function shortestFloat32(f: number): number {
  if (!Number.isFinite(f)) return f;
  for (let digits = 1; digits <= 9; digits++) {
    const x = Number(f.toPrecision(digits));
    if (Math.fround(x) === f) return x;
  }
  return f;
}

const TYPE_NAMES: Record<number, string> = {
  [AttributeType.FLOAT]: 'a float',
  [AttributeType.INT]: 'an int',
  [AttributeType.STRING]: 'a string',
  [AttributeType.TENSOR]: 'a tensor',
  [AttributeType.FLOATS]: 'floats',
  [AttributeType.INTS]: 'ints',
};

/** The attribute's type; files that leave `type` unset (very old exporters) get it from the field that is set. */
function typeOf(a: AttributeProto): number {
  if (a.type !== undefined && a.type !== null && a.type !== AttributeType.UNDEFINED) return a.type;
  if ((a.ints?.length ?? 0) > 0) return AttributeType.INTS;
  if ((a.floats?.length ?? 0) > 0) return AttributeType.FLOATS;
  if (a.t !== undefined && a.t !== null) return AttributeType.TENSOR;
  if ((a.s?.length ?? 0) > 0) return AttributeType.STRING;
  if (a.f !== undefined && a.f !== null && a.f !== 0) return AttributeType.FLOAT;
  return AttributeType.INT;
}

export class Attributes {
  private readonly byName = new Map<string, AttributeProto>();

  constructor(
    attributes: readonly AttributeProto[],
    private readonly where: string,
    known: readonly string[],
  ) {
    for (const a of attributes) {
      const name = a.name ?? '';
      if (!known.includes(name)) {
        throw new ValueError(`${where}: unsupported attribute '${name.slice(0, 40)}'${known.length ? ` (smolml reads ${known.join(', ')})` : ''}`);
      }
      if (this.byName.has(name)) throw new ValueError(`${where}: attribute '${name}' appears twice`);
      if ((a.refAttrName ?? '') !== '') throw new ValueError(`${where}: attribute '${name}' refers to a function attribute, which smolml does not read`);
      this.byName.set(name, a);
    }
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  private get(name: string, type: number): AttributeProto | undefined {
    const a = this.byName.get(name);
    if (a !== undefined && typeOf(a) !== type) {
      throw new ValueError(`${this.where}: attribute '${name}' must be ${TYPE_NAMES[type] ?? `of type ${type}`}, the file has type ${typeOf(a)}`);
    }
    return a;
  }

  int(name: string, fallback: number): number {
    const a = this.get(name, AttributeType.INT);
    return a === undefined ? fallback : int64ToNumber(this.where, `attribute '${name}'`, a.i);
  }

  ints(name: string): number[] | undefined {
    const a = this.get(name, AttributeType.INTS);
    return a?.ints?.map((v, i) => int64ToNumber(this.where, `attribute '${name}'[${i}]`, v));
  }

  /** A float attribute, read as the decimal it was most likely written as (see shortestFloat32). */
  float(name: string, fallback: number): number {
    const a = this.get(name, AttributeType.FLOAT);
    return a === undefined ? fallback : shortestFloat32(a.f ?? 0);
  }

  string(name: string, fallback: string): string {
    const a = this.get(name, AttributeType.STRING);
    return a === undefined ? fallback : new TextDecoder().decode(a.s ?? new Uint8Array());
  }

  tensor(name: string): TensorProto | undefined {
    return this.get(name, AttributeType.TENSOR)?.t ?? undefined;
  }

  floats(name: string): number[] | undefined {
    return this.get(name, AttributeType.FLOATS)?.floats?.slice();
  }
}
