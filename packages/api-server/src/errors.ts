/** An error that carries the HTTP status the API answers with. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * The HTTP status for a thrown error: its own `statusCode` (HttpError, or any typed error that
 * carries one, such as @berth/api-types' errors) when it is a 4xx/5xx, else 500.
 */
export function statusOf(err: unknown): number {
  if (typeof err === 'object' && err !== null && 'statusCode' in err) {
    const code = (err as { statusCode: unknown }).statusCode;
    if (typeof code === 'number' && Number.isInteger(code) && code >= 400 && code <= 599) return code;
  }
  return 500;
}

/** The message a client sees for a thrown value. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
