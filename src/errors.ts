/**
 * Errors that cross a boundary (CLI exit, Slack reply) carry two messages: `userMessage` is safe to show
 * to the person who uploaded the file; `message` and `cause` are for logs.
 */
export class AppError extends Error {
  readonly userMessage: string;

  constructor(userMessage: string, options?: { cause?: unknown; detail?: string }) {
    super(
      options?.detail ?? userMessage,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = new.target.name;
    this.userMessage = userMessage;
  }
}

export type InputProblem =
  | "unsupported-type"
  | "empty"
  | "no-table"
  | "no-revenue"
  | "too-large"
  | "too-many-rows"
  | "too-many-columns"
  | "zip-bomb"
  | "corrupt"
  | "not-found"
  | "not-a-file"
  | "unreadable";

/** The file itself cannot be analysed: the user can fix it; exit code 2 in the CLI. */
export class InputError extends AppError {
  readonly problem: InputProblem;

  constructor(problem: InputProblem, userMessage: string, options?: { cause?: unknown; detail?: string }) {
    super(userMessage, options);
    this.problem = problem;
  }
}

export function isInputError(error: unknown): error is InputError {
  return error instanceof InputError;
}
