import { describe, expect, it } from 'vitest';
import { ApiError } from '@api/errors';
import { errorText } from './error-text';

describe('errorText', () => {
  it('keeps the code of API errors', () => {
    const error = new ApiError({
      code: 'INVALID_PARAMS',
      message: 'steps must be at most 1000000',
    });
    expect(errorText(error)).toEqual({
      code: 'INVALID_PARAMS',
      message: 'steps must be at most 1000000',
    });
  });

  it('falls back to the message of any error, or the value itself', () => {
    expect(errorText(new TypeError('boom'))).toEqual({ code: null, message: 'boom' });
    expect(errorText('plain')).toEqual({ code: null, message: 'plain' });
  });
});
