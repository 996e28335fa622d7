/** The phones task in the generic views: a phone per frame, shown as a posteriorgram. */
import { utterancesForCell, worstByFrameAccuracy } from '../evaluate/utterance-lists';
import type { TaskView } from './task-view';

/** How many of the worst utterances Evaluate lists. */
const WORST_LISTED = 20;

export const PHONES_VIEW: TaskView<'phones'> = {
  task: 'phones',
  label: 'phones',
  evaluate: {
    headline: ['frameAccuracy', 'frameAccuracy39', 'phoneErrorRate', 'utterances'],
    itemNoun: 'utterances',
    cellItems: utterancesForCell,
    review: {
      select: (predictions) => worstByFrameAccuracy(predictions, WORST_LISTED),
      heading: (count) => `Worst ${count} utterances by frame accuracy`,
      testid: 'worst-utterance',
      allClear: null,
    },
    inspector: {
      openTitle: 'Open in the posteriorgram view',
      posteriorgram: true,
      legend:
        'Spectrogram, reference tiers, the decoded phones and the posteriorgram (phones grouped by class, darker = less likely) share one time axis. Hover a heatmap for the value under the pointer and the most likely phones at a frame; click to hear 300 ms around it.',
    },
    runFile: 'Posteriorgram',
  },
  train: {
    form: 'speech',
    choiceLabel: 'Phones (per frame)',
    corpora: { kind: 'speech' },
    usesPooling: false,
    needsPhoneAlignments: true,
    // Live phone sessions decode frame by frame as the audio comes.
    bidirectionalWarning:
      'A bidirectional phone model needs the whole utterance: it cannot run live.',
  },
  tableColumns: ['per'],
  text: null,
  live: {
    mode: 'phones',
    hint: 'Phone mode: per-frame phone probabilities scroll under the live spectrogram.',
  },
};
