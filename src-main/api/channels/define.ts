import { z } from 'zod';

/** A request channel: its parameter schema (validated in main) and, as a phantom, its result. */
export interface RequestDefinition<P extends z.ZodType, R> {
  params: P;
  /** Phantom: carries the result type only. */
  result?: R;
}

export function request<R>(): <P extends z.ZodType>(params: P) => RequestDefinition<P, R> {
  return (params) => ({ params });
}

/** An event channel: carries its payload type only. */
export interface EventDefinition<T> {
  payload?: T;
}

export function event<T>(): EventDefinition<T> {
  return {};
}

/** The parameters of a channel that takes none. */
export const none = z.undefined();
