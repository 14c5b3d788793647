import type { z } from 'zod';
import { fromZodError } from '../errors.js';

/**
 * Parses a service input with its zod schema. A failure becomes a 431 `CloudError` naming the
 * first offending parameter, before anything is read or written.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw fromZodError(result.error);
  return result.data;
}
