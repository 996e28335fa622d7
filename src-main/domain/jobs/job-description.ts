import type { JobSpec, JobSubject } from '../../api/jobs';

/**
 * The experiment or corpus a job works on, from what it was asked to do: views match jobs to
 * their rows with this, never by reading the title (which is for people and may change).
 */
export function jobSubject(spec: JobSpec): JobSubject | null {
  switch (spec.kind) {
    case 'selftest':
      return null;
    case 'corpus-import':
    case 'corpus-synth-words':
    case 'corpus-synth-sentences':
      return { kind: 'corpus', name: spec.params.out };
    case 'corpus-validate':
    case 'corpus-export':
      return { kind: 'corpus', name: spec.params.corpus };
    case 'experiment-train':
    case 'experiment-cross-validate':
      return { kind: 'experiment', name: String(spec.params.config.name) };
    case 'experiment-evaluate':
    case 'lm-token-index':
      return { kind: 'experiment', name: spec.params.experiment };
  }
}

/** The title a job shows in lists, from what it was asked to do. */
export function jobTitle(spec: JobSpec): string {
  switch (spec.kind) {
    case 'selftest':
      return `Self-test: ${spec.params.steps} training steps`;
    case 'corpus-import':
      return `Import ${spec.params.format} corpus ${spec.params.out}`;
    case 'corpus-synth-words':
      return `Synthesise ${spec.params.words.length} words into ${spec.params.out}`;
    case 'corpus-synth-sentences':
      return `Synthesise ${spec.params.sentences.length} sentences into ${spec.params.out}`;
    case 'corpus-validate':
      return `Validate corpus ${spec.params.corpus}`;
    case 'corpus-export':
      return `Export corpus ${spec.params.corpus} as ${spec.params.format}`;
    case 'experiment-train':
      return `${spec.params.resume ? 'Resume training' : 'Train'} experiment ${String(spec.params.config.name)}`;
    case 'experiment-evaluate':
      return `Evaluate experiment ${spec.params.experiment}${spec.params.split ? ` on ${spec.params.split}` : ''}`;
    case 'experiment-cross-validate':
      return `${spec.params.resume ? 'Resume cross-validation' : 'Cross-validate'} ${String(spec.params.config.name)} (${spec.params.folds} folds)`;
    case 'lm-token-index':
      return `Index the tokens of ${spec.params.corpus} (${spec.params.split}) with ${spec.params.experiment}`;
  }
}
