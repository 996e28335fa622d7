'use strict';
// A recorder module for node-record-lpcm16 (it `require`s `options.recorder` resolved against its
// own recorders/ folder, so an absolute path selects this file). It builds the same command lines
// as the library's arecord, rec and sox recorders, plus a short capture period: by default
// arecord wakes every 125 ms (a quarter of its 500 ms buffer) and SoX reads 8 KB (256 ms at
// 16 kHz), and live recognition cannot draw a column before its chunk has arrived.

/** @param {{ program: 'arecord' | 'rec' | 'sox', sampleRate: number, channels: number, audioType: string, device?: string, periodMs?: number }} options */
module.exports = (options) => {
  const periodMs = options.periodMs ?? 20;
  const periodBytes = String(2 * options.channels * Math.round((options.sampleRate * periodMs) / 1000));
  const rate = String(options.sampleRate);
  const channels = String(options.channels);
  switch (options.program) {
    case 'arecord':
      return {
        cmd: 'arecord',
        args: [
          ...(options.device ? ['-D', options.device] : []),
          '-q',
          '-r', rate,
          '-c', channels,
          '-t', options.audioType,
          '-f', 'S16_LE',
          `--period-time=${periodMs * 1000}`,
          `--buffer-time=${Math.max(periodMs * 1000 * 10, 200_000)}`,
          '-',
        ],
      };
    case 'rec':
      // rec reads its device from AUDIODEV, which the caller sets around the spawn.
      return {
        cmd: 'rec',
        args: ['--buffer', periodBytes, '-q', '-r', rate, '-c', channels, '-e', 'signed-integer', '-b', '16', '-t', options.audioType, '-'],
      };
    case 'sox':
      return {
        cmd: 'sox',
        args: ['--buffer', periodBytes, '--default-device', '--no-show-progress', '--rate', rate, '--channels', channels, '--encoding', 'signed-integer', '--bits', '16', '--type', options.audioType, '-'],
        spawnOptions: options.device ? { env: { ...process.env, AUDIODEV: options.device } } : {},
      };
    default:
      throw new Error(`No such recorder program: ${String(options.program)}`);
  }
};
