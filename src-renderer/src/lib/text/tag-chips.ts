/** What the Text view draws of a tagged text: a chip per token, and the legend of the tag set. */
import type { TaggedText, TaggedToken, TagProbability } from '@api/text';
import { chipStyle } from '../corpora/tag-colours';

/** A probability as the chips' details read it: "NOUN 92.1%". */
export function formatTagProbability(entry: TagProbability): string {
  return `${entry.tag} ${(entry.probability * 100).toFixed(1)}%`;
}

/** What a chip says of its token, for its details and its accessible name. */
export function tokenDescription(token: TaggedToken): string {
  const top = token.top.map(formatTagProbability).join(', ');
  const seen = token.unseen ? 'not seen in training' : 'seen in training';
  return `${token.text}: ${token.tag}. Top tags: ${top}. Word ${seen}.`;
}

export interface TokenChip {
  /** The token's place in the text (a stable key while the text is edited elsewhere). */
  key: string;
  token: TaggedToken;
  style: string;
  description: string;
}

export function tokenChips(tagged: TaggedText): TokenChip[] {
  return tagged.tokens.map((token) => ({
    key: `${token.start}:${token.end}:${token.text}`,
    token,
    style: chipStyle(token.tag, tagged.tagSet),
    description: tokenDescription(token),
  }));
}

export interface LegendEntry {
  tag: string;
  style: string;
  /** Tokens given this tag in the text shown. */
  count: number;
}

/** The legend: every tag of the model, in its order, with how many tokens have it now. */
export function tagLegend(tagSet: readonly string[], tags: readonly string[]): LegendEntry[] {
  const counts = new Map<string, number>();
  for (const tag of tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  return tagSet.map((tag) => ({ tag, style: chipStyle(tag, tagSet), count: counts.get(tag) ?? 0 }));
}
