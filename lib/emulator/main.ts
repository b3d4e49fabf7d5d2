/**
 * Runs the emulator from the command line until interrupted:
 * `node dist/cjs/emulator/main.js --port 4000 [--host 127.0.0.1] [--speed 10] [--lines-per-step 100]
 * [--step-ms 500] [--queue-ms 500] [--max-upload-bytes N]`.
 *
 * Your own API keys come from the environment, never the command line (where `ps` would show them):
 * `NUCLEUS_EMULATOR_API_KEYS=key1,key2`, `NUCLEUS_EMULATOR_LIMITED_KEYS=...`. They are never printed.
 */
import { startEmulator } from './server.js';
import type { EmulatorOptions } from './options.js';

/** The demo key is printed by name only: users copy its value from the docs. */
const DEMO_KEY_NAME = 'DEMO_API_KEY';

const USAGE =
  'usage: node dist/cjs/emulator/main.js [--port N] [--host H] [--speed X] [--lines-per-step N] [--step-ms MS] [--queue-ms MS] [--max-upload-bytes N] [--verbose]\n' +
  'keys: NUCLEUS_EMULATOR_API_KEYS / NUCLEUS_EMULATOR_LIMITED_KEYS (comma-separated); default: the public demo key DEMO_API_KEY.\n';

const NUMERIC_FLAGS: Record<string, keyof EmulatorOptions> = {
  '--port': 'port',
  '--speed': 'speed',
  '--lines-per-step': 'linesPerStep',
  '--step-ms': 'stepMs',
  '--queue-ms': 'queueMs',
  '--max-upload-bytes': 'maxUploadBytes',
  '--max-body-bytes': 'maxBodyBytes',
};

/** Parses the command line; throws a one-line message on a bad argument. */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): EmulatorOptions & { help?: boolean; verbose?: boolean } {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--help' || flag === '-h') return { help: true };
    if (flag === '--verbose' || flag === '-v') {
      out['verbose'] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`missing value for ${flag}`);
    if (flag === '--host') out['host'] = value;
    else if (flag in NUMERIC_FLAGS) {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`${flag} needs a number`);
      out[NUMERIC_FLAGS[flag]!] = n;
    } else throw new Error(`unknown option ${flag.slice(0, 40)}`);
  }
  const list = (s: string | undefined): string[] | undefined => {
    const keys = s?.split(',').map((k) => k.trim()).filter((k) => k !== '');
    return keys && keys.length > 0 ? keys : undefined;
  };
  const apiKeys = list(env['NUCLEUS_EMULATOR_API_KEYS']);
  const limited = list(env['NUCLEUS_EMULATOR_LIMITED_KEYS']);
  if (apiKeys) out['apiKeys'] = apiKeys;
  if (limited) out['limitedAccessKeys'] = limited;
  return out as EmulatorOptions & { verbose?: boolean };
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(process.argv.slice(2), process.env);
  } catch (e) {
    process.stderr.write(`nucleus emulator: ${(e as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  const { verbose, ...emulatorOptions } = options;
  const emu = await startEmulator({
    ...emulatorOptions,
    // One line per request: route and outcome only, never headers or bodies (so never a key).
    ...(verbose ? { onRequest: (e) => process.stdout.write(`${e.requestId} ${e.method} ${e.route} ${e.status}${e.fault ? ` (fault ${e.fault})` : ''} ${e.ms}ms\n`) } : {}),
  });
  const keys = options.apiKeys
    ? `${options.apiKeys.length} API key(s) from NUCLEUS_EMULATOR_API_KEYS`
    : `the public demo key ${DEMO_KEY_NAME} (its value is in docs/emulator.md)`;
  const limited = options.limitedAccessKeys ? `, ${options.limitedAccessKeys.length} limited access key(s)` : '';
  process.stdout.write(`Nucleus emulator listening on ${emu.url}\nauth: HTTP Basic, user name = ${keys}${limited}\ncontrol API: ${emu.origin}/__emulator/\n`);
  const stop = (): void => {
    void emu.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

// CommonJS entry point only (`node dist/cjs/emulator/main.js`); importing this module runs nothing.
if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`nucleus emulator: ${e instanceof Error ? e.message : 'failed to start'}\n`);
    process.exitCode = 1;
  });
}
