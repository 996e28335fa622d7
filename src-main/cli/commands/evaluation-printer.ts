/** What the command line needs to show one task's evaluation (the `result` its evaluation returns). */
export interface EvaluationPrinter<R = unknown> {
  /** What --json prints for it. */
  json(result: R): Record<string, unknown>;
  /** The lines printed for it. */
  lines(result: R): string[];
}
