import { z } from 'zod';

/** The JSON body of every error answer. */
export const ErrorResponse = z.object({ message: z.string() });
export type ErrorResponse = z.infer<typeof ErrorResponse>;
