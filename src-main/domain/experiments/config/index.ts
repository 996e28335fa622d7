/** The experiment config's schemas, defaults and choice lists (no Node import: the renderer reads them too). */
export * from './common-config';
export * from './model-choices';
export * from './speech-config';
export * from './text-config';
export * from './lm-config';
export * from './seq2seq-config';
export * from './experiment-config';
export * from './cell-comparison';
