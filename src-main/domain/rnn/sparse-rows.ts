import * as tf from '@tensorflow/tfjs';

/** A table's gradient as rows: row r of `values` ([ids.length, dim]) belongs to table row ids[r]; ids are unique. */
export interface SparseRows {
  ids: Int32Array;
  values: Float32Array;
  dim: number;
}

/**
 * Collects row gradients during one backward pass (embedLookupRows deposits them). The anchor is
 * a scalar variable that stands in for the table on the autodiff tape: TF.js calls a custom
 * gradient only when one of its inputs is a differentiated variable, and with the table itself
 * as that input it would demand a dense [vocab, dim] gradient.
 */
export class SparseGradients {
  readonly anchor = tf.tidy(() => tf.variable(tf.scalar(0), true));
  readonly rows = new Map<string, SparseRows>();

  dispose(): void {
    this.anchor.dispose();
  }
}

/** Sums the rows of dy ([ids.length, dim]) by id: unique ids in first-seen order, summed in occurrence order. */
export function sumRowsById(dim: number, dy: Float32Array, ids: Int32Array): SparseRows {
  const slotOf = new Map<number, number>();
  const unique: number[] = [];
  for (let n = 0; n < ids.length; n++) {
    const id = ids[n] as number;
    if (!slotOf.has(id)) {
      slotOf.set(id, unique.length);
      unique.push(id);
    }
  }
  const values = new Float32Array(unique.length * dim);
  for (let n = 0; n < ids.length; n++) {
    const base = (slotOf.get(ids[n] as number) as number) * dim;
    for (let d = 0; d < dim; d++)
      values[base + d] = (values[base + d] as number) + (dy[n * dim + d] as number);
  }
  return { ids: Int32Array.from(unique), values, dim };
}

/** The dense [vocab, dim] gradient the rows stand for. */
export function denseOf(rows: SparseRows, vocab: number): tf.Tensor2D {
  const dense = new Float32Array(vocab * rows.dim);
  for (let r = 0; r < rows.ids.length; r++)
    dense.set(
      rows.values.subarray(r * rows.dim, (r + 1) * rows.dim),
      (rows.ids[r] as number) * rows.dim,
    );
  return tf.tensor2d(dense, [vocab, rows.dim]);
}

/**
 * The sum of the squared values. An indexed loop: `for...of` over a Float32Array ran about 20
 * times slower on Node 20 (10 ms against 0.4 ms for a sentence CNN's 330,000 values).
 */
export function sumOfSquares(rows: SparseRows): number {
  const values = rows.values;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    sum += value * value;
  }
  return sum;
}

interface HeapBackend {
  typedArrayFromHeap?: (tensor: tf.Tensor) => Float32Array;
  refCount?: (dataId: object) => number;
  data?: { get(dataId: object): { values?: unknown } | undefined };
}

/**
 * A float32 tensor's values where the backend keeps them in memory JS can read without a copy
 * (a view into the wasm heap, or the cpu backend's array), else null. Valid only until the next
 * TF.js allocation (which can grow the wasm heap and detach the view): use it at once.
 */
export function valuesView(tensor: tf.Tensor): Float32Array | null {
  if (tensor.dtype !== 'float32') return null;
  const backend = tf.backend() as unknown as HeapBackend;
  const kind = tf.getBackend();
  const view =
    kind === 'wasm'
      ? backend.typedArrayFromHeap?.(tensor)
      : kind === 'cpu'
        ? backend.data?.get(tensor.dataId)?.values
        : undefined;
  return view instanceof Float32Array && view.length === tensor.size ? view : null;
}

/**
 * Runs `update` on the variables' values in place where the backend keeps them in memory JS can
 * write (wasm heap, cpu arrays): reading a 20k x 100 table out and back costs more than the
 * update. Data shared with another tensor (tf.clone shares) is copied first so only the
 * variable changes; every copy is made before any view is taken, since a wasm allocation can
 * grow the heap and detach earlier views. Other backends get a read, update and assign.
 */
export function updateInPlace(
  variables: tf.Variable[],
  update: (values: Float32Array[]) => void,
): void {
  const backend = tf.backend() as unknown as HeapBackend;
  const kind = tf.getBackend();
  if ((kind === 'wasm' || kind === 'cpu') && variables.every((v) => v.dtype === 'float32')) {
    for (const variable of variables) {
      if ((backend.refCount?.(variable.dataId) ?? 1) > 1) {
        const copy = tf.tidy(() => tf.add(variable, 0));
        variable.assign(copy);
        copy.dispose();
      }
    }
    const views = variables.map(valuesView);
    if (views.every((v) => v !== null)) {
      update(views);
      return;
    }
  }
  const copies = variables.map((v) => Float32Array.from(v.dataSync() as Float32Array));
  update(copies);
  tf.tidy(() =>
    variables.forEach((v, n) => v.assign(tf.tensor(copies[n] as Float32Array, v.shape))),
  );
}
