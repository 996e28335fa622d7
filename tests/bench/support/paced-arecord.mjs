#!/usr/bin/env node
// A stand-in for `arecord` that plays a raw S16_LE mono file to stdout at real-time pace, in
// chunks of one ALSA period (arecord delivers one period at a time), then silence until
// it is stopped. Writes the epoch milliseconds at which sample 0 was due to PACED_MIC_T0, so a
// benchmark can tell when any sample "was spoken". Used by tests/bench/live-api.ts through PATH.
import { readFileSync, writeFileSync } from 'node:fs';

const raw = readFileSync(process.env.PACED_MIC_RAW);
const rate = 16_000;
// One ALSA period per chunk: the period Unfold asks for (--period-time, microseconds), else
// arecord's default of about 125 ms; PACED_MIC_CHUNK_MS overrides both.
const periodArg = process.argv.find((arg) => arg.startsWith('--period-time='));
const chunkMs = Number(
  process.env.PACED_MIC_CHUNK_MS ?? (periodArg ? Number(periodArg.split('=')[1]) / 1000 : 125),
);
const chunkBytes = 2 * Math.round((rate * chunkMs) / 1000);
const t0 = Date.now();
writeFileSync(process.env.PACED_MIC_T0, String(t0));
let offset = 0;
process.stdout.on('error', () => process.exit(0));
process.on('SIGTERM', () => process.exit(1));
function next() {
  const end = offset + chunkBytes;
  const chunk =
    offset >= raw.length
      ? Buffer.alloc(chunkBytes)
      : Buffer.concat([raw.subarray(offset, end), Buffer.alloc(Math.max(0, end - raw.length))]);
  offset = end;
  // A chunk is delivered once its last sample has been "spoken".
  const due = t0 + (offset / 2 / rate) * 1000;
  setTimeout(
    () => {
      process.stdout.write(chunk);
      next();
    },
    Math.max(0, due - Date.now()),
  );
}
next();
