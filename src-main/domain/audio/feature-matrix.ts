/** Frames x dims features, row-major: frame t is data[t * dims .. (t + 1) * dims). */
export interface FeatureMatrix {
  data: Float32Array;
  frames: number;
  dims: number;
}

export function featureRow(matrix: FeatureMatrix, frame: number): Float32Array {
  return matrix.data.subarray(frame * matrix.dims, (frame + 1) * matrix.dims);
}
