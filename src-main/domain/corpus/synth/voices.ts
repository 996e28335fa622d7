import { stat } from 'node:fs/promises';
import { hasProgram } from './programs';

export type SynthEngine = 'espeak-ng' | 'flite' | 'festival';

export interface SynthVoice {
  engine: SynthEngine;
  /** The engine's own name (espeak-ng `-v`, flite `-voice`, festival `(voice_NAME)`). */
  name: string;
  /** Used as the speaker id: engine and voice, e.g. `flite_kal16`. */
  speaker: string;
}

const ESPEAK_VOICES = ['en-us', 'en-us+f3', 'en+m3', 'en-gb-scotland', 'en-029', 'en-gb-x-rp'];
const FLITE_VOICES = ['kal16', 'awb', 'rms', 'slt'];
const FESTIVAL_VOICES: { name: string; dir: string }[] = [
  { name: 'kal_diphone', dir: '/usr/share/festival/voices/english/kal_diphone' },
  { name: 'ked_diphone', dir: '/usr/share/festival/voices/english/ked_diphone' },
  { name: 'cmu_us_slt_arctic_hts', dir: '/usr/share/festival/voices/us/cmu_us_slt_arctic_hts' },
];

function speakerId(engine: SynthEngine, name: string): string {
  return `${engine.replace('-', '')}_${name}`.replace(/[^A-Za-z0-9_.]/g, '_');
}

/** Voices of the installed engines (an engine that is not installed contributes none). */
export async function availableVoices(
  engines: readonly SynthEngine[] = ['espeak-ng', 'flite', 'festival'],
): Promise<SynthVoice[]> {
  const voices: SynthVoice[] = [];
  if (engines.includes('espeak-ng') && (await hasProgram('espeak-ng'))) {
    for (const name of ESPEAK_VOICES)
      voices.push({ engine: 'espeak-ng', name, speaker: speakerId('espeak-ng', name) });
  }
  if (engines.includes('flite') && (await hasProgram('flite'))) {
    for (const name of FLITE_VOICES)
      voices.push({ engine: 'flite', name, speaker: speakerId('flite', name) });
  }
  if (engines.includes('festival') && (await hasProgram('festival'))) {
    for (const voice of FESTIVAL_VOICES) {
      if (
        await stat(voice.dir).then(
          () => true,
          () => false,
        )
      )
        voices.push({
          engine: 'festival',
          name: voice.name,
          speaker: speakerId('festival', voice.name),
        });
    }
  }
  return voices;
}
