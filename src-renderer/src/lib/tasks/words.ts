/** The words task in the generic views: one word per utterance, told from its spectrogram. */
import { misrecognised, utterancesForCell } from '../evaluate/utterance-lists';
import type { TaskView } from './task-view';

export const WORDS_VIEW: TaskView<'words'> = {
  task: 'words',
  label: 'words',
  evaluate: {
    headline: ['accuracy', 'rejected', 'acceptedAccuracy', 'utterances'],
    itemNoun: 'utterances',
    cellItems: utterancesForCell,
    review: {
      select: misrecognised,
      heading: (count) => `Misrecognised: ${count} utterances`,
      testid: 'misrecognised-utterance',
      allClear: { text: 'Every utterance was recognised.', testid: 'no-misrecognised' },
    },
    inspector: {
      openTitle: 'Open in the spectrogram view',
      posteriorgram: false,
      legend:
        'Hover the spectrogram for the level under the pointer; click the waveform or spectrogram to hear 300 ms around that point.',
    },
    runFile: null,
  },
  train: {
    form: 'speech',
    choiceLabel: 'Words (isolated)',
    corpora: { kind: 'speech' },
    usesPooling: true,
    needsPhoneAlignments: false,
    bidirectionalWarning: null,
  },
  tableColumns: [],
  text: null,
  live: {
    mode: 'words',
    hint: 'Word mode: each spoken word is cut by the voice detector and classified.',
  },
};
