/** A template parse or execution error, with Go's exact message text. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    message: string,
    /** 'parse' for errors from Parse, 'exec' for errors from Execute. */
    readonly phase: 'parse' | 'exec',
  ) {
    super(message);
  }

  /** For an execution error, the text produced before it (Go has already written it out). */
  output = '';
}

/**
 * Thrown by template functions. The executor reports it as Go reports a function's
 * returned error: `error calling <name>: <message>`.
 */
export class FuncError extends Error {
  override readonly name = 'FuncError';
}
