/**
 * What the text tasks show: tokens with their offsets into the text the user typed, and what a
 * tagger says about each. Plain types, shared by main, the CLI and the renderer.
 */

/** One token of a text: its NFC form and where it is in the original string (UTF-16 offsets). */
export interface TextTokenData {
  text: string;
  /** Offset of the token's first code unit in the original string. */
  start: number;
  /** Offset just past the token's last code unit in the original string. */
  end: number;
}

export interface TagProbability {
  tag: string;
  probability: number;
}

export interface TaggedToken extends TextTokenData {
  /** The model's most probable tag. */
  tag: string;
  /** The three most probable tags, best first. */
  top: TagProbability[];
  /** Whether the word was never seen in training (its vector comes from its characters). */
  unseen: boolean;
}

export interface TaggedText {
  /** The experiment that tagged it. */
  experiment: string;
  /** Every tag the model knows, in its output order (the legend's order). */
  tagSet: string[];
  tokens: TaggedToken[];
}

/**
 * One evaluated sentence of a tagging evaluation (an item of predictions.json). `reference`
 * holds the gold tags and `decoded` the predicted ones, one per token, like the speech tasks'
 * predictions keep a reference and a decoded sequence.
 */
export interface TaggedSentencePrediction {
  utteranceId: string;
  tokens: string[];
  reference: string[];
  decoded: string[];
  /** Per token: the word was not in the training data. */
  unseen: boolean[];
  /** Number of tokens tagged wrong. */
  errors: number;
  correct: boolean;
}
