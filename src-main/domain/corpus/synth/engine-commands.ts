import { rename } from 'node:fs/promises';
import type { SynthVoice } from './voices';
import { requireProgram, runProgram } from './programs';

/** Scheme string literal: festival reads text through its reader, so quote and escape it. */
export function schemeString(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/**
 * Speaks `text` into `outPath` with one voice. `stretch` > 1 is slower speech (festival's
 * Duration_Stretch, flite's duration_stretch, espeak-ng words per minute = 175 / stretch).
 */
export async function speakToFile(
  voice: SynthVoice,
  text: string,
  outPath: string,
  stretch: number,
  signal?: AbortSignal,
): Promise<void> {
  if (voice.engine === 'espeak-ng') {
    await requireProgram('espeak-ng');
    await runProgram(
      'espeak-ng',
      ['-v', voice.name, '-s', String(Math.round(175 / stretch)), '-w', outPath, '--', text],
      { signal },
    );
  } else if (voice.engine === 'flite') {
    await requireProgram('flite');
    await runProgram(
      'flite',
      ['-voice', voice.name, '--setf', `duration_stretch=${stretch}`, '-t', text, '-o', outPath],
      { signal },
    );
  } else {
    await requireProgram('festival');
    const script = [
      `(voice_${voice.name})`,
      `(Parameter.set 'Duration_Stretch ${stretch})`,
      `(set! utt (Utterance Text ${schemeString(text)}))`,
      '(utt.synth utt)',
      `(utt.save.wave utt ${schemeString(outPath)} 'riff)`,
    ].join('\n');
    await runProgram('festival', ['--pipe'], { signal, input: script + '\n' });
    // HTS voices (slt) ignore Duration_Stretch: change their tempo with sox, pitch unchanged.
    if (voice.name.includes('_hts') && stretch !== 1) {
      await requireProgram('sox');
      const stretched = `${outPath}.tempo.wav`;
      await runProgram('sox', [outPath, stretched, 'tempo', '-s', String(1 / stretch)], { signal });
      await rename(stretched, outPath);
    }
  }
}

/** Shifts pitch by `cents` keeping the duration (sox `pitch`), in place via a second file. */
export async function shiftPitch(
  inPath: string,
  outPath: string,
  cents: number,
  signal?: AbortSignal,
): Promise<void> {
  await requireProgram('sox');
  await runProgram('sox', [inPath, outPath, 'pitch', String(cents)], { signal });
}

export interface PhoneAlignment {
  words: { text: string; start: number; end: number }[];
  /** Phone end times as printed by the synthesiser (the last may run past the audio). */
  phones: { phone: string; end: number }[];
}

/**
 * festival: Segment relation end times and word spans from the SylStructure relation.
 * `lexiconLines` (Scheme) add words to the voice's lexicon first.
 */
export async function festivalAlignedSpeech(
  voice: SynthVoice,
  text: string,
  outPath: string,
  signal?: AbortSignal,
  lexiconLines: readonly string[] = [],
): Promise<PhoneAlignment> {
  await requireProgram('festival');
  const script = [
    `(voice_${voice.name})`,
    ...lexiconLines,
    `(set! utt (Utterance Text ${schemeString(text)}))`,
    '(utt.synth utt)',
    `(utt.save.wave utt ${schemeString(outPath)} 'riff)`,
    `(mapcar (lambda (seg) (format t "S %s %f\\n" (item.name seg) (item.feat seg "end"))) (utt.relation.items utt 'Segment))`,
    `(mapcar (lambda (w) (format t "W %s %f %f\\n" (item.name w) (item.feat w "R:SylStructure.daughter1.daughter1.segment_start") (item.feat w "R:SylStructure.daughtern.daughtern.end"))) (utt.relation.items utt 'Word))`,
  ].join('\n');
  const output = await runProgram('festival', ['--pipe'], { signal, input: script + '\n' });
  const alignment: PhoneAlignment = { words: [], phones: [] };
  for (const line of output.split('\n')) {
    const [kind, name, a, b] = line.trim().split(/\s+/);
    if (kind === 'S' && name) alignment.phones.push({ phone: name, end: Number(a) });
    if (kind === 'W' && name)
      alignment.words.push({ text: name, start: Number(a), end: Number(b) });
  }
  return alignment;
}

function parsePhoneList(output: string): string[] {
  return output.trim().split(/\s+/).filter(Boolean);
}

/**
 * flite: `-psdur` prints `phone:end` pairs but no word times. Word edges come from speaking
 * growing prefixes of the text with `-ps` (phones) and `-pw` (words): the non-pause phones a
 * token adds are its phones, in context, so "It's" or "2" count as flite says them. When
 * the counts do not add up, the words tier falls back to one interval over the speech.
 * `addendaFile` (flite's `-add_lex`) adds words to the voice's lexicon in every call.
 */
export async function fliteAlignedSpeech(
  voice: SynthVoice,
  text: string,
  outPath: string,
  signal?: AbortSignal,
  addendaFile?: string,
): Promise<PhoneAlignment> {
  await requireProgram('flite');
  const voiceArgs = ['-voice', voice.name, ...(addendaFile ? ['-add_lex', addendaFile] : [])];
  const output = await runProgram('flite', [...voiceArgs, '-psdur', '-t', text, '-o', outPath], {
    signal,
  });
  const phones = parsePhoneList(output).map((pair) => {
    const cut = pair.lastIndexOf(':');
    return { phone: pair.slice(0, cut), end: Number(pair.slice(cut + 1)) };
  });
  // Labels come from the whole sentence: at the end of a prefix flite may read "a" as the letter.
  const sentenceWords = parsePhoneList(
    await runProgram('flite', [...voiceArgs, '-pw', '-t', text, '-o', 'none'], { signal }),
  );
  const tokens = text.split(/\s+/).filter(Boolean);
  const spans: { text: string; phones: number }[] = [];
  let phonesSoFar = 0;
  let wordsSoFar = 0;
  for (let k = 1; k <= tokens.length; k++) {
    const prefix = tokens.slice(0, k).join(' ');
    const prefixPhones = parsePhoneList(
      await runProgram('flite', [...voiceArgs, '-ps', '-t', prefix, '-o', 'none'], {
        signal,
      }),
    ).filter((p) => p !== 'pau').length;
    const prefixWords = parsePhoneList(
      await runProgram('flite', [...voiceArgs, '-pw', '-t', prefix, '-o', 'none'], {
        signal,
      }),
    );
    // "it 's" is one token said as two words: write it as the token reads, "it's".
    const label = sentenceWords.slice(wordsSoFar, prefixWords.length).join(' ').replace(/ '/g, "'");
    if (prefixPhones > phonesSoFar && label !== '')
      spans.push({ text: label, phones: prefixPhones - phonesSoFar });
    phonesSoFar = Math.max(phonesSoFar, prefixPhones);
    wordsSoFar = Math.max(wordsSoFar, prefixWords.length);
  }
  const speech = phones
    .map((p, k) => ({ ...p, start: k === 0 ? 0 : (phones[k - 1]?.end ?? 0) }))
    .filter((p) => p.phone !== 'pau');
  const words: PhoneAlignment['words'] = [];
  if (spans.reduce((sum, span) => sum + span.phones, 0) === speech.length) {
    let k = 0;
    for (const span of spans) {
      const first = speech[k];
      const last = speech[k + span.phones - 1];
      if (first && last) words.push({ text: span.text, start: first.start, end: last.end });
      k += span.phones;
    }
  } else if (speech.length > 0) {
    words.push({
      text: spans.map((s) => s.text).join(' '),
      start: speech[0]?.start ?? 0,
      end: speech[speech.length - 1]?.end ?? 0,
    });
  }
  return { words, phones };
}
