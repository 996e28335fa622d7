/**
 * The views of the app shell. Each later capability fills one; until then the view says
 * plainly what it will do and that it is not available yet.
 */
export const VIEW_IDS = [
  'home',
  'record',
  'corpora',
  'train',
  'evaluate',
  'live',
  'text',
  'inside',
] as const;
export type ViewId = (typeof VIEW_IDS)[number];

export interface ViewDescriptor {
  id: ViewId;
  label: string;
  /** One line for the navigation's tooltip and the view's heading. */
  tagline: string;
  /** For views not built yet: what the view will do, in a few sentences. */
  plan?: string[];
}

export const VIEWS: readonly ViewDescriptor[] = [
  { id: 'home', label: 'Home', tagline: 'What Unfold is, and the state of this machine' },
  {
    id: 'record',
    label: 'Record',
    tagline: 'Record speech and see its features',
  },
  {
    id: 'corpora',
    label: 'Corpora',
    tagline: 'Import, synthesise, record and label data sets',
  },
  {
    id: 'train',
    label: 'Train',
    tagline: 'Train recurrent networks on speech',
  },
  {
    id: 'evaluate',
    label: 'Evaluate',
    tagline: 'Measure trained models on held-out data',
  },
  {
    id: 'live',
    label: 'Live',
    tagline: 'Run a trained model on the microphone',
  },
  {
    id: 'text',
    label: 'Text',
    tagline:
      'Tag, classify or continue text with a trained model, and read its evaluated sentences',
  },
  {
    id: 'inside',
    label: 'Inside',
    tagline: 'Gates, states, gradients through time and dynamics of a trained network',
  },
];

export function viewById(id: ViewId): ViewDescriptor {
  const view = VIEWS.find((candidate) => candidate.id === id);
  if (!view) throw new Error(`Unknown view ${id}`);
  return view;
}
