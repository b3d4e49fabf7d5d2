/**
 * `nucleus-rx emulator`: the Nucleus emulator in the foreground on 127.0.0.1 until Ctrl-C.
 */
import { firstValueFrom } from 'rxjs';
import { DEMO_API_KEY, startEmulator, type EmulatorHandle } from '../../emulator/index.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { reportFailure } from '../failure.js';

export interface EmulatorOptions {
  readonly port: number;
  readonly key?: string;
  readonly speed: number;
  readonly json?: boolean;
}

export async function emulatorCommand(opts: EmulatorOptions, ctx: CliContext): Promise<ExitCode> {
  const { output } = ctx;
  if (opts.key !== undefined) {
    output.warn('warning: --key puts the key in your shell history and in `ps`; prefer NUCLEUS_API_KEY=<key> nucleus-rx emulator');
  }
  const envKey = ctx.env['NUCLEUS_API_KEY']?.trim() || undefined;
  const key = opts.key ?? envKey ?? DEMO_API_KEY;
  output.addSecret(key);
  const keySource = opts.key !== undefined ? 'the key given with --key' : envKey ? 'the key in NUCLEUS_API_KEY' : 'the public demo key DEMO_API_KEY (its value is in docs/emulator.md)';

  let emulator: EmulatorHandle;
  try {
    emulator = await startEmulator({ port: opts.port, apiKeys: [key], speed: opts.speed });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      output.warn(`error: cannot listen on 127.0.0.1:${opts.port}: ${code === 'EADDRINUSE' ? 'the port is in use' : 'permission denied'}`);
      return ExitCode.Usage;
    }
    return reportFailure(output, e);
  }
  if (opts.json) {
    output.json({ event: 'listening', endpoint: emulator.url, control: `${emulator.origin}/__emulator/` });
  } else {
    output.line(`Nucleus emulator listening on ${emulator.url}`);
    output.line(`Accepting ${keySource}; control API at ${emulator.origin}/__emulator/`);
    output.line(
      opts.key === undefined && !envKey
        ? 'Try, in another shell, with NUCLEUS_API_KEY set to the demo key (docs/emulator.md):'
        : 'Try, in another shell with the same NUCLEUS_API_KEY:',
    );
    output.line(`  NUCLEUS_ENDPOINT=${emulator.url} nucleus-rx jobs --completed`);
    output.line('Ctrl-C to stop.');
  }
  await firstValueFrom(ctx.interrupted$);
  await emulator.close();
  if (opts.json) output.json({ event: 'stopped' });
  else output.line('Emulator stopped.');
  return ExitCode.Ok;
}
