/**
 * Turning any error into what the CLI prints: one line for humans and an exit code. Never a stack
 * trace (set `NUCLEUS_RX_DEBUG=1` for one on an internal error), never a key, never raw server text.
 */
import {
  isApiError,
  isAuthenticationError,
  isConfigurationError,
  isConnectionError,
  isDecodeError,
  isNotFoundError,
  isNucleusError,
  isPermissionDeniedError,
  isRequestTimeoutError,
  isValidationError,
} from '../errors.js';
import { ExitCode } from './exit-codes.js';
import { sanitize } from './sanitize.js';

export interface Failure {
  /** One line, sanitised, without the `error:` prefix. */
  readonly message: string;
  readonly code: ExitCode;
}

function nameOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && typeof (e as { name?: unknown }).name === 'string' ? (e as Error).name : undefined;
}

/**
 * The message and exit code for an error. `endpoint` (already stripped of credentials) names the
 * server in connection errors.
 *
 * @example
 * describeFailure(new ConfigurationError('NUCLEUS_API_KEY is not set')) // { message: 'NUCLEUS_API_KEY is not set', code: 2 }
 */
export function describeFailure(e: unknown, endpoint?: string): Failure {
  const message = sanitize(e instanceof Error ? e.message : String(e));
  if (isConfigurationError(e) || isValidationError(e)) return { message, code: ExitCode.Usage };
  if (isAuthenticationError(e) || isPermissionDeniedError(e)) {
    return { message: `the server refused the API key (${(e as { status: number }).status}): check NUCLEUS_API_KEY`, code: ExitCode.ApiError };
  }
  if (isNotFoundError(e)) return { message: `not found: ${message}`, code: ExitCode.ApiError };
  if (isApiError(e) || isDecodeError(e)) return { message, code: ExitCode.ApiError };
  if (isConnectionError(e) || isRequestTimeoutError(e)) {
    const where = endpoint ? `cannot reach ${endpoint}` : 'cannot reach the server';
    return { message: `${where}: ${message}${causeCode(e)}`, code: ExitCode.Unreachable };
  }
  // The job errors of the AsyncJob operators, by name: a job that ended badly.
  switch (nameOf(e)) {
    case 'JobError':
      return { message, code: ExitCode.JobFailed };
    case 'JobCancelledError':
      return { message, code: ExitCode.JobCancelled };
    case 'JobTimeoutError':
      return { message, code: ExitCode.JobTimedOut };
  }
  if (isNucleusError(e)) return { message, code: ExitCode.ApiError };
  return { message: `internal error: ${message}`, code: ExitCode.Internal };
}

// `ECONNREFUSED`, `ENOTFOUND`: the one detail that tells a user what to fix.
function causeCode(e: unknown): string {
  let cause = (e as { cause?: unknown }).cause;
  for (let depth = 0; depth < 4 && typeof cause === 'object' && cause !== null; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return ` (${code})`;
    cause = (cause as { cause?: unknown }).cause;
  }
  return '';
}

/**
 * Prints the failure as one `error:` line on stderr and returns its exit code.
 *
 * @example
 * return reportFailure(ctx.output, e, 'http://127.0.0.1:4010');
 */
export function reportFailure(output: { warn(text: string): void }, e: unknown, endpoint?: string, debug = false): ExitCode {
  const failure = describeFailure(e, endpoint);
  output.warn(`error: ${failure.message}`);
  if (debug && failure.code === ExitCode.Internal && e instanceof Error && e.stack) output.warn(sanitize(e.stack));
  return failure.code;
}
