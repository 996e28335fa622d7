/**
 * Live recognition latency through the API, as the Live view sees it (issue 6), printed as
 * JSON; not run in CI. Needs the built app (`npx electron-vite build`).
 *
 *   npx tsx tests/bench/live-api.ts [--chunk-ms N] [--words 8] [--phones-seconds 6]
 *                                   [--hangover-ms 200] [--words-exp NAME --phones-exp NAME --data DIR]
 *
 * `unfold serve` runs as its own process with a stand-in `arecord` first on its PATH
 * (support/paced-arecord.mjs) that plays espeak-ng speech at real-time pace in chunks of
 * the ALSA period Unfold asks arecord for (`--period-time`, 20 ms; arecord's own default is
 * about 125 ms), or --chunk-ms to try another, and notes when sample 0 was due,
 * so the time at which any sample was "spoken" is known. A WebSocket client (the renderer's
 * typed client) notes when each event arrives. Measured:
 *   words: end of the word (the VAD's endSeconds) -> live:word received; the same less the
 *          VAD's hangover (the silence it must hear before deciding the word is over); and the
 *          payload's latencyMs (decision -> result ready in main).
 *   phones: chunk arrival in main -> live:posteriors received (payload latencyMs + sentAt ->
 *          received); last audio sample of the newest column spoken -> received.
 * Without --data, experiments with randomly initialised models of the preset sizes ("digits,
 * small LSTM", "phones, 2x256 LSTM" made unidirectional) are timed: the cost does not depend on
 * the weights.
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { createApiClient, type ApiClient } from '../../src-main/api/client-core';
import type { LivePosteriorsPayload, LiveWordPayload } from '../../src-main/api/live';
import {
  createWebSocketTransport,
  websocketUrl,
  type WebSocketLike,
} from '../../src-main/api/websocket-transport';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { readAudioFile } from '../../src-main/domain/audio/wav';
import { CAPTURE_PERIOD_MS } from '../../src-main/domain/audio/recorder';
import { LIVE_WORD_HANGOVER_MS } from '../../src-main/server/live/live-session';
import { startServe } from '../support/cli';
import { writeRandomExperiment } from '../support/random-experiment';

const { values } = parseArgs({
  options: {
    'chunk-ms': { type: 'string' },
    words: { type: 'string', default: '8' },
    'phones-seconds': { type: 'string', default: '6' },
    'hangover-ms': { type: 'string' },
    data: { type: 'string' },
    'words-exp': { type: 'string', default: 'bench-words' },
    'phones-exp': { type: 'string', default: 'bench-phones' },
  },
});

const RATE = 16_000;
const chunkMs = values['chunk-ms'] === undefined ? CAPTURE_PERIOD_MS : Number(values['chunk-ms']);
// Without the flag the server's own default for live words applies.
const hangoverMs = Number(values['hangover-ms'] ?? LIVE_WORD_HANGOVER_MS);
const scratch = await mkdtemp(join(tmpdir(), 'unfold-live-bench-'));
const dataDir = values.data ?? join(scratch, 'data');

/** An experiment with a randomly initialised model of a preset's size (phones: unidirectional). */
async function randomExperiment(
  name: string,
  task: 'words' | 'phones',
  classes: number,
): Promise<void> {
  await writeRandomExperiment(join(dataDir, 'experiments', name), task, classes, {
    unidirectional: task === 'phones',
    labels: Array.from({ length: classes }, (_, i) =>
      task === 'phones' && i === 0 ? 'pau' : `c${i}`,
    ),
  });
}

/** espeak-ng speech at 16 kHz as 16-bit samples. */
async function speak(text: string, voice: string): Promise<Int16Array> {
  const wav = join(scratch, 'speech.wav');
  execFileSync('espeak-ng', ['-v', voice, '-w', wav, text]);
  const audio = await readAudioFile(wav, { sampleRate: RATE });
  return Int16Array.from(audio.samples, (s) => Math.round(s * 32767));
}

function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

const silence = (seconds: number): Int16Array => new Int16Array(Math.round(seconds * RATE));

function summary(times: number[]): Record<string, number> {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const round = (v: number): number => Math.round(v * 10) / 10;
  return {
    count: sorted.length,
    median: round(at(0.5)),
    p95: round(at(0.95)),
    max: round(sorted[sorted.length - 1] ?? 0),
  };
}

async function playAndListen(
  client: ApiClient,
  pcm: Int16Array,
  start: () => Promise<unknown>,
): Promise<{ t0: number; startMs: number }> {
  await writeFile(join(scratch, 'mic.raw'), new Uint8Array(pcm.buffer));
  const stopped = new Promise<void>((resolve) => {
    const off = client.on('live:stopped', () => {
      off();
      resolve();
    });
  });
  const asked = performance.now();
  await start();
  const startMs = Math.round(performance.now() - asked);
  await stopped;
  return { t0: Number(await readFile(join(scratch, 't0'), 'utf8')), startMs };
}

// Only to build the random models; the server picks its own backend (reported below).
await initTfBackend();
const report: Record<string, unknown> = { chunkMs, hangoverMs };
const bin = join(scratch, 'bin');
await mkdir(bin, { recursive: true });
await symlink(join(import.meta.dirname, 'support', 'paced-arecord.mjs'), join(bin, 'arecord'));
await chmod(join(import.meta.dirname, 'support', 'paced-arecord.mjs'), 0o755);
if (!values.data) {
  await randomExperiment(values['words-exp'], 'words', 10);
  await randomExperiment(values['phones-exp'], 'phones', 46);
}
const serve = await startServe(['--port', '0', '--data', dataDir], {
  ...process.env,
  PATH: `${bin}:${process.env.PATH ?? ''}`,
  PACED_MIC_RAW: join(scratch, 'mic.raw'),
  PACED_MIC_T0: join(scratch, 't0'),
  ...(values['chunk-ms'] === undefined ? {} : { PACED_MIC_CHUNK_MS: String(chunkMs) }),
});
const transport = createWebSocketTransport(
  websocketUrl(`http://127.0.0.1:${serve.port}`, serve.token),
  (url) => new WebSocket(url) as unknown as WebSocketLike,
);
try {
  await transport.ready;
  const client = createApiClient(transport);
  report.serverBackend = (await client.invoke('app:backend')) as unknown;

  // Words: 1 s of silence, then each word followed by 1.2 s of silence.
  const vocabulary = ['yes', 'no', 'stop', 'go', 'left', 'right', 'up', 'down'];
  const parts: Int16Array[] = [silence(1)];
  for (let k = 0; k < Number(values.words); k++) {
    parts.push(await speak(vocabulary[k % vocabulary.length] as string, 'en-us'), silence(1.2));
  }
  const wordsPcm = concat(parts);
  const words: { payload: LiveWordPayload; receivedAt: number }[] = [];
  const offWords = client.on('live:word', (payload) =>
    words.push({ payload, receivedAt: Date.now() }),
  );
  // Warm-up: the first start loads the model and the first word compiles kernels; the
  // recogniser cache keeps both for the measured session.
  const warmUp = concat([silence(0.3), await speak('hello', 'en-us'), silence(0.5)]);
  const first = await playAndListen(client, warmUp, () =>
    client.invoke('live:start', {
      experiment: values['words-exp'],
      maxSeconds: warmUp.length / RATE,
    }),
  );
  words.length = 0;
  const loadStart = performance.now();
  const { t0, startMs } = await playAndListen(client, wordsPcm, () =>
    client.invoke('live:start', {
      experiment: values['words-exp'],
      maxSeconds: wordsPcm.length / RATE,
      ...(values['hangover-ms'] ? { vad: { hangoverMs } } : {}),
    }),
  );
  offWords();
  const endToReceived = words.map((w) => w.receivedAt - (t0 + w.payload.endSeconds * 1000));
  report.words = {
    experiment: values['words-exp'],
    spoken: Number(values.words),
    recognised: words.length,
    wordEndToReceivedMs: summary(endToReceived),
    wordEndToReceivedLessHangoverMs: summary(endToReceived.map((v) => v - hangoverMs)),
    decisionToResultInMainMs: summary(words.map((w) => w.payload.latencyMs)),
    sessionSeconds: Math.round((performance.now() - loadStart) / 100) / 10,
    // live:start -> its answer: loading the model the first time, from the cache after.
    firstStartMs: first.startMs,
    cachedStartMs: startMs,
  };

  // Phones: a sentence, then silence, streamed for --phones-seconds.
  const sentence = await speak(
    'The quick brown fox jumps over the lazy dog, and then it runs away.',
    'en-us',
  );
  const seconds = Number(values['phones-seconds']);
  const phonesPcm = concat([
    silence(0.3),
    sentence,
    silence(Math.max(0, seconds - 0.3 - sentence.length / RATE)),
  ]).subarray(0, seconds * RATE);
  const columns: { payload: LivePosteriorsPayload; receivedAt: number }[] = [];
  const offColumns = client.on('live:posteriors', (payload) =>
    columns.push({ payload, receivedAt: Date.now() }),
  );
  await playAndListen(client, silence(0.5), () =>
    client.invoke('live:start', { experiment: values['phones-exp'], maxSeconds: 0.5 }),
  );
  columns.length = 0;
  const phones = await playAndListen(client, phonesPcm, () =>
    client.invoke('live:start', { experiment: values['phones-exp'], maxSeconds: seconds }),
  );
  offColumns();
  // The last column of the take is the flush at the stop, not a chunk: leave it out.
  const streamed = columns.slice(0, -1);
  const hopMs = 10;
  const frameMs = 25;
  report.phones = {
    experiment: values['phones-exp'],
    messages: streamed.length,
    framesPerMessage: summary(streamed.map((c) => c.payload.frames)),
    chunkArrivalToColumnsInMainMs: summary(streamed.map((c) => c.payload.latencyMs)),
    sentToReceivedMs: summary(streamed.map((c) => c.receivedAt - c.payload.sentAt)),
    chunkArrivalToReceivedMs: summary(
      streamed.map((c) => c.payload.latencyMs + (c.receivedAt - c.payload.sentAt)),
    ),
    // The oldest column of a message waited for the rest of its chunk: the capture period.
    oldestFrameSpokenToReceivedMs: summary(
      streamed.map((c) => c.receivedAt - (phones.t0 + c.payload.startFrame * hopMs + frameMs)),
    ),
    newestFrameSpokenToReceivedMs: summary(
      streamed.map((c) => {
        const lastFrame = c.payload.startFrame + c.payload.frames - 1;
        return c.receivedAt - (phones.t0 + lastFrame * hopMs + frameMs);
      }),
    ),
  };
} finally {
  transport.close();
  await serve.stop();
  await rm(scratch, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
