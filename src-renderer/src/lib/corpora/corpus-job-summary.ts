import type { JobKind, JobResults } from '@api/jobs';

function seconds(total: number): string {
  return total >= 60 ? `${(total / 60).toFixed(1)} min` : `${total.toFixed(1)} s`;
}

/** One line for a succeeded corpus job (import, synthesis, validation, export). */
export function summarizeCorpusJob(kind: JobKind, result: JobResults[JobKind]): string | null {
  switch (kind) {
    case 'corpus-import':
    case 'corpus-synth-words':
    case 'corpus-synth-sentences': {
      const r = result as JobResults['corpus-import'];
      const what =
        r.kind === 'speech'
          ? `${r.items} utterances, ${seconds(r.totalSeconds)}`
          : `${r.items} sentences`;
      const skipped = r.skipped.length > 0 ? `; ${r.skipped.length} file(s) skipped` : '';
      // Say when a G2P model, not the synthesisers' own rules, pronounced words.
      const g2p =
        r.g2p && r.g2p.words.length > 0
          ? `; G2P ${r.g2p.experiment} pronounced ${r.g2p.words.join(', ')}`
          : '';
      return `${r.corpus}: ${what}${skipped}${g2p}`;
    }
    case 'corpus-validate': {
      const r = result as JobResults['corpus-validate'];
      return r.ok ? `${r.corpus} is valid` : `${r.corpus}: ${r.problems.length} problem(s)`;
    }
    case 'corpus-export': {
      const r = result as JobResults['corpus-export'];
      return `${r.files} file(s) written to ${r.folder}`;
    }
    default:
      return null;
  }
}
