import { shapeSize, type Tensor } from '../contracts/tensor';
import { SpgError } from '../errors/spg-error';

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Stacks equally shaped tensors into one contiguous tensor of shape `[B, ...shape]` (one
 * allocation, one `Float32Array.set` per tensor). `what` names the tensors in error messages.
 */
export function stackTensors(tensors: readonly Tensor[], what = 'tensor'): Tensor {
  const first = tensors[0];
  if (first === undefined) return { data: new Float32Array(0), shape: [0] };
  const itemSize = shapeSize(first.shape);
  const data = new Float32Array(itemSize * tensors.length);
  for (let b = 0; b < tensors.length; b++) {
    const t = tensors[b]!;
    if (t.data.length !== itemSize || !sameShape(t.shape, first.shape)) {
      throw new SpgError(
        'SPG_COLLATE_SHAPE_MISMATCH',
        `Cannot stack ${what}: item ${b} has shape [${t.shape}] (${t.data.length} values) but item 0 has [${first.shape}]; every item of a batch needs the same shape.`,
        { what, item: b, shape: t.shape, expected: first.shape },
      );
    }
    data.set(t.data, b * itemSize);
  }
  return { data, shape: [tensors.length, ...first.shape] };
}

/** The same data with a new axis of size 1 at `axis` (no copy), like torch's `unsqueeze`. */
export function unsqueeze(tensor: Tensor, axis: number): Tensor {
  const shape = [...tensor.shape];
  const at = axis < 0 ? shape.length + 1 + axis : axis;
  if (!Number.isInteger(at) || at < 0 || at > shape.length) {
    throw new RangeError(`unsqueeze axis ${axis} is out of range for shape [${tensor.shape}]`);
  }
  shape.splice(at, 0, 1);
  return { data: tensor.data, shape };
}
