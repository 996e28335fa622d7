import { describe, expect, it } from 'vitest';
import { parseArecordList, usableCaptureDevices } from './capture-devices';

describe('parseArecordList', () => {
  it('reads ids and their indented descriptions', () => {
    const output = [
      'null',
      '    Discard all samples (playback) or generate zero samples (capture)',
      'default:CARD=PCH',
      '    HDA Intel PCH, ALC3246 Analog',
      '    Default Audio Device',
      'fakemic',
      '',
    ].join('\n');
    expect(parseArecordList(output)).toEqual([
      {
        id: 'null',
        name: 'Discard all samples (playback) or generate zero samples (capture)',
        description: 'Discard all samples (playback) or generate zero samples (capture)',
      },
      {
        id: 'default:CARD=PCH',
        name: 'HDA Intel PCH, ALC3246 Analog',
        description: 'HDA Intel PCH, ALC3246 Analog Default Audio Device',
      },
      { id: 'fakemic', name: 'fakemic', description: '' },
    ]);
  });

  it('leaves ALSA\'s silent "null" device out of the list users see', () => {
    const output = 'null\n    Discard all samples\nfakemic\n    Test microphone\n';
    expect(usableCaptureDevices(output).map((device) => device.id)).toEqual(['fakemic']);
    expect(usableCaptureDevices('null\n    Discard all samples\n')).toEqual([]);
  });
});
