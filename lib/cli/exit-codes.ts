/**
 * The exit codes of `nucleus-rx`, documented in docs/cli.md. Scripts rely on them: never renumber.
 */
export const ExitCode = {
  /** Everything went as intended: the watched jobs completed, the listing was printed. */
  Ok: 0,
  /** A job failed (any `Errored_*` status), or the demo did not go as designed. */
  JobFailed: 1,
  /** Bad input: unknown command or option, missing job id, malformed date or number, no API key. */
  Usage: 2,
  /** A job was cancelled. */
  JobCancelled: 3,
  /** A job did not end within `--timeout`. */
  JobTimedOut: 4,
  /** The server answered with an error (wrong key, unknown job, 5xx) or with a malformed answer. */
  ApiError: 5,
  /** The endpoint could not be reached (refused, DNS, TLS, no answer in time). */
  Unreachable: 6,
  /** A bug in nucleus-rx itself. */
  Internal: 70,
  /** Interrupted by Ctrl-C (SIGINT) or SIGTERM: 128 + 2, as shells report it. */
  Interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

// Most severe first: the exit code of a `watch` of several jobs is the first of these that occurred.
const SEVERITY: readonly ExitCode[] = [
  ExitCode.Internal,
  ExitCode.Usage,
  ExitCode.Unreachable,
  ExitCode.ApiError,
  ExitCode.JobFailed,
  ExitCode.JobTimedOut,
  ExitCode.JobCancelled,
  ExitCode.Interrupted,
  ExitCode.Ok,
];

/**
 * The exit code summing up several outcomes: the most severe one (an API error outranks a failed
 * job, which outranks a timeout, then a cancellation; all of them outrank success).
 *
 * @example
 * worstExitCode([ExitCode.Ok, ExitCode.JobCancelled, ExitCode.JobFailed]) // ExitCode.JobFailed
 */
export function worstExitCode(codes: Iterable<ExitCode>): ExitCode {
  let worst: ExitCode = ExitCode.Ok;
  for (const code of codes) if (SEVERITY.indexOf(code) < SEVERITY.indexOf(worst)) worst = code;
  return worst;
}
