import { AppError, isInputError } from "../errors.js";
import { cleanText } from "../ui/escape.js";
import { isConfigError } from "./config.js";
import type { CliIo } from "./main.js";

export const EXIT = { ok: 0, internal: 1, badInput: 2 } as const;

/**
 * What every CLI command says when it fails, and its exit code: a file that cannot be analysed (2,
 * the reason after `inputPrefix`), a setting that is wrong (1, as the configuration says it), or
 * anything else (1, after `internalPrefix`, with the stack only under DEBUG).
 */
export function reportFailure(
  error: unknown,
  io: CliIo,
  inputPrefix: string,
  internalPrefix: string,
): number {
  if (isInputError(error)) {
    io.stderr(`${inputPrefix}: ${cleanText(error.userMessage)}\n`);
    return EXIT.badInput;
  }
  if (isConfigError(error)) {
    io.stderr(`${cleanText(error.message)}\n`);
    return EXIT.internal;
  }
  const message = error instanceof AppError ? error.userMessage : "an internal error occurred";
  io.stderr(`${internalPrefix}: ${cleanText(message)}. Set DEBUG=1 for details.\n`);
  if (io.env.DEBUG) io.stderr(`${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT.internal;
}
