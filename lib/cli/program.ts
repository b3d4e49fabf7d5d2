/**
 * The `nucleus-rx` command line: commands, options, and the mapping of every outcome to one line of
 * output and an exit code. `main.ts` runs it on the real process; tests can run it in memory.
 */
import { Command, CommanderError, Option } from 'commander';
import type { CliContext } from './context.js';
import { ExitCode } from './exit-codes.js';
import { reportFailure } from './failure.js';
import { parseDate, parseInteger, parseJobId, parsePositive, parseSeconds } from './parse-options.js';
import { VERSION } from './version.js';

const ENV_HELP = `
Environment:
  NUCLEUS_ENDPOINT   the API endpoint (default https://api.scale.com/v1/nucleus); --endpoint wins
  NUCLEUS_API_KEY    the API key (there is no key flag: flags land in shell history)
  NO_COLOR           set to disable colour

Exit codes:
  0 ok   1 job failed   2 bad input   3 job cancelled   4 timed out
  5 API error (wrong key, unknown job, server error)   6 endpoint unreachable   130 interrupted`;

/**
 * Runs the CLI with the user's arguments (without `node` and the script) and resolves the exit code.
 *
 * @example
 * const code = await run(['jobs', '--json'], ctx);
 */
export async function run(args: readonly string[], ctx: CliContext): Promise<number> {
  let exitCode: number = ExitCode.Ok;
  const done = (code: number) => {
    exitCode = code;
  };
  const program = buildProgram(ctx, done);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return exitCode;
  } catch (e) {
    // Commander has already printed its one-line message (or the help / version).
    if (e instanceof CommanderError) return e.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    return reportFailure(ctx.output, e, undefined, Boolean(ctx.env['NUCLEUS_RX_DEBUG']));
  }
}

// Each command's module (and what it needs: client, emulator, rxjs operators) loads only when that
// command runs, so `--help` and bad input answer fast.
function buildProgram(ctx: CliContext, done: (code: number) => void): Command {
  const { output } = ctx;
  const program = new Command('nucleus-rx');
  program
    .description('Watch Nucleus async jobs live, list them, read their errors; or run a local emulator and a demo.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .addHelpText('after', ENV_HELP)
    .configureOutput({
      writeOut: (s) => output.stdout.write(output.redact(s)),
      writeErr: (s) => output.stderr.write(output.redact(s)),
      // Commander's messages can span two lines (the "Did you mean" hint): keep them on one.
      outputError: (s, write) => write(s.trim().replace(/\s*\n\s*/g, ' ') + ` (see nucleus-rx --help)\n`),
    })
    .exitOverride();

  const endpointOption = () => new Option('--endpoint <url>', 'API endpoint (default: $NUCLEUS_ENDPOINT, else the real service)');
  const jsonOption = () => new Option('--json', 'machine-readable output (JSON / NDJSON)');

  program
    .command('demo')
    .description('start a local emulator and run an append + annotate chain on it, live')
    .addOption(new Option('--items <n>', 'dataset items to append').default(3000).argParser(parseInteger(1, 100_000)))
    .addOption(new Option('--bad <n>', 'annotations that name missing items').default(5).argParser(parseInteger(0, 1000)))
    .addOption(new Option('--speed <factor>', 'emulator speed: 1 processes 200 lines a second').default(2).argParser(parsePositive(1000)))
    .addOption(jsonOption())
    .action(async (opts) => done(await (await import('./commands/demo.js')).demoCommand(opts, ctx)));

  program
    .command('watch')
    .description('follow jobs until they end; the exit code tells how they ended')
    .argument('<jobId...>', 'one or more job ids', (v: string, prev: string[] | undefined) => [...(prev ?? []), parseJobId(v)])
    .addOption(new Option('--timeout <seconds>', 'give up after this long (exit 4)').argParser(parseSeconds))
    .addOption(endpointOption())
    .addOption(jsonOption())
    .action(async (jobIds: string[], opts) => done(await (await import('./commands/watch.js')).watchCommand(jobIds, opts, ctx)));

  program
    .command('jobs')
    .description('list jobs as a table')
    .option('--completed', 'include completed jobs')
    .addOption(new Option('--type <type>', 'only jobs of this type (repeatable)').argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]))
    .option('--dataset <datasetId>', 'only jobs of this dataset')
    .addOption(new Option('--from <date>', 'created at or after (2026-11-28 or 2026-11-28T10:00:00Z)').argParser(parseDate))
    .addOption(new Option('--to <date>', 'created at or before').argParser(parseDate))
    .addOption(new Option('--limit <n>', 'at most this many jobs').default(100).argParser(parseInteger(1, 50_000)))
    .addOption(endpointOption())
    .addOption(jsonOption())
    .action(async (opts) => done(await (await import('./commands/jobs.js')).jobsCommand(opts, ctx)));

  program
    .command('errors')
    .description("print a job's errors, one per line")
    .argument('<jobId>', 'the job id', parseJobId)
    .option('--follow', 'keep printing new errors until the job ends')
    .addOption(endpointOption())
    .addOption(jsonOption())
    .action(async (jobId: string, opts) => done(await (await import('./commands/errors.js')).errorsCommand(jobId, opts, ctx)));

  program
    .command('emulator')
    .description('run the Nucleus emulator in the foreground until Ctrl-C')
    .addOption(new Option('--port <n>', 'port on 127.0.0.1 (0: any free port)').default(0).argParser(parseInteger(0, 65_535)))
    .addOption(new Option('--key <key>', 'accept this API key (prefer NUCLEUS_API_KEY: flags land in shell history)'))
    .addOption(new Option('--speed <factor>', 'job speed: 1 processes 200 lines a second').default(1).argParser(parsePositive(1000)))
    .addOption(jsonOption())
    .action(async (opts) => done(await (await import('./commands/emulator.js')).emulatorCommand(opts, ctx)));

  return program;
}
