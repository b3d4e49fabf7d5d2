#!/usr/bin/env node
/**
 * The `nucleus-rx` executable: runs the CLI on this process's arguments, streams and signals.
 */
import { ReplaySubject } from 'rxjs';
import { Output } from './output.js';
import { run } from './program.js';
import { ExitCode } from './exit-codes.js';

// Ctrl-C or SIGTERM: the first one asks the command to stop cleanly (it unsubscribes, which aborts
// requests and stops the bars); a second one, or a command that does not stop within 3 s, exits.
// Listening from the start and replaying means a signal is never missed, even one that arrives
// before the command subscribes (e.g. right after the emulator said it is listening).
const interrupts = new ReplaySubject<NodeJS.Signals>(1);
const onSignal = (signal: NodeJS.Signals) => {
  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);
  const force = () => process.exit(ExitCode.Interrupted);
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  setTimeout(force, 3000).unref();
  interrupts.next(signal);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
const interrupted$ = interrupts.asObservable();

const output = new Output(process.stdout, process.stderr, process.env);

// A closed pipe (`nucleus-rx jobs | head`) is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(ExitCode.Ok);
});

run(process.argv.slice(2), { output, env: process.env, interrupted$ }).then(
  (code) => {
    // Exit once stdout is flushed, without waiting for idle keep-alive sockets to time out.
    process.exitCode = code;
    process.stdout.write('', () => process.exit(code));
  },
  () => {
    process.stderr.write('error: internal error\n');
    process.exitCode = ExitCode.Internal;
  },
);
