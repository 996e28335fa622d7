/** One column of an alignment: `ref` or `hyp` is null for an insertion or a deletion. */
export interface AlignmentStep<T> {
  op: 'match' | 'substitution' | 'insertion' | 'deletion';
  ref: T | null;
  hyp: T | null;
}

export interface EditDistance<T> {
  distance: number;
  substitutions: number;
  insertions: number;
  deletions: number;
  matches: number;
  alignment: AlignmentStep<T>[];
}

/**
 * Levenshtein distance with unit costs (the NIST sclite convention used for phone and word
 * error rates) and one optimal alignment. Hand-written: the dynamic programme is a dozen lines
 * and the well-kept npm packages (fastest-levenshtein, leven) return only the distance, not the
 * operation counts and alignment scoring needs. Ties prefer match/substitution, then deletion,
 * then insertion, so the alignment is deterministic.
 */
export function editDistance<T>(
  reference: readonly T[],
  hypothesis: readonly T[],
): EditDistance<T> {
  const n = reference.length;
  const m = hypothesis.length;
  const width = m + 1;
  const cost = new Uint32Array((n + 1) * width);
  for (let i = 0; i <= n; i++) cost[i * width] = i;
  for (let j = 0; j <= m; j++) cost[j] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const diagonal =
        (cost[(i - 1) * width + j - 1] as number) +
        (reference[i - 1] === hypothesis[j - 1] ? 0 : 1);
      const up = (cost[(i - 1) * width + j] as number) + 1;
      const left = (cost[i * width + j - 1] as number) + 1;
      cost[i * width + j] = Math.min(diagonal, up, left);
    }
  }
  const alignment: AlignmentStep<T>[] = [];
  let substitutions = 0;
  let insertions = 0;
  let deletions = 0;
  let matches = 0;
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const here = cost[i * width + j] as number;
    if (i > 0 && j > 0) {
      const same = reference[i - 1] === hypothesis[j - 1];
      if (here === (cost[(i - 1) * width + j - 1] as number) + (same ? 0 : 1)) {
        alignment.push({
          op: same ? 'match' : 'substitution',
          ref: reference[i - 1] as T,
          hyp: hypothesis[j - 1] as T,
        });
        if (same) matches++;
        else substitutions++;
        i--;
        j--;
        continue;
      }
    }
    if (i > 0 && here === (cost[(i - 1) * width + j] as number) + 1) {
      alignment.push({ op: 'deletion', ref: reference[i - 1] as T, hyp: null });
      deletions++;
      i--;
      continue;
    }
    alignment.push({ op: 'insertion', ref: null, hyp: hypothesis[j - 1] as T });
    insertions++;
    j--;
  }
  alignment.reverse();
  return {
    distance: cost[n * width + m] as number,
    substitutions,
    insertions,
    deletions,
    matches,
    alignment,
  };
}

export interface ErrorRate {
  /** (S + D + I) / N over all utterances; can exceed 1 with many insertions. */
  rate: number;
  errors: number;
  referenceLength: number;
  substitutions: number;
  insertions: number;
  deletions: number;
}

/**
 * Corpus-level error rate (phone or word error rate): total edits over total reference
 * length, not the mean of per-utterance rates, as sclite and Kaldi's compute-wer report it.
 */
export function errorRate<T>(
  pairs: readonly { reference: readonly T[]; hypothesis: readonly T[] }[],
): ErrorRate {
  let substitutions = 0;
  let insertions = 0;
  let deletions = 0;
  let referenceLength = 0;
  for (const { reference, hypothesis } of pairs) {
    const d = editDistance(reference, hypothesis);
    substitutions += d.substitutions;
    insertions += d.insertions;
    deletions += d.deletions;
    referenceLength += reference.length;
  }
  const errors = substitutions + insertions + deletions;
  return {
    rate: referenceLength > 0 ? errors / referenceLength : errors > 0 ? Infinity : 0,
    errors,
    referenceLength,
    substitutions,
    insertions,
    deletions,
  };
}
