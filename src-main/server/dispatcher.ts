import { z } from 'zod';
import {
  isRequestChannel,
  requests,
  type RequestChannel,
  type RequestResult,
  type ValidatedParams,
} from '../api/contract';
import type { ResponseEnvelope } from '../api/envelope';
import { toErrorData } from '../domain/errors';

export type RequestHandlers = {
  [C in RequestChannel]: (
    params: ValidatedParams<C>,
  ) => Promise<RequestResult<C>> | RequestResult<C>;
};

export type Dispatch = (channel: unknown, params: unknown) => Promise<ResponseEnvelope>;

/**
 * The single entry point both transports call: checks the channel, validates the parameters
 * against the contract's schema, runs the handler and turns every failure into error data.
 */
export function createDispatcher(handlers: RequestHandlers): Dispatch {
  return async (channel, params) => {
    if (!isRequestChannel(channel)) {
      return {
        ok: false,
        error: {
          code: 'UNKNOWN_CHANNEL',
          message: `There is no API channel named ${JSON.stringify(channel)}.`,
        },
      };
    }
    const parsed = requests[channel].params.safeParse(params);
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'INVALID_PARAMS',
          message: `Invalid parameters for ${channel}: ${z.prettifyError(parsed.error)}`,
        },
      };
    }
    try {
      const handler = handlers[channel] as (p: unknown) => unknown;
      const result = (await handler(parsed.data)) as RequestResult<typeof channel>;
      return { ok: true, result };
    } catch (error) {
      return { ok: false, error: toErrorData(error) };
    }
  };
}
