import { expect } from 'chai';
import { DEMO_API_KEY, resolveOptions } from '../../lib/emulator/options.js';
import { startEmulator } from '../../lib/emulator/index.js';

describe('emulator: options', () => {
  it('defaults: loopback, port 0, the demo key, 100 lines per 500 ms step, 1 MiB bodies, 64 MiB uploads', () => {
    expect(resolveOptions()).to.include({ host: '127.0.0.1', port: 0, linesPerStep: 100, stepMs: 500, queueMs: 500, maxBodyBytes: 1 << 20, maxUploadBytes: 64 << 20, httpControl: true });
    expect(resolveOptions().apiKeys).to.deep.equal([DEMO_API_KEY]);
  });

  it('rejects bad values without echoing keys', () => {
    for (const o of [{ port: -1 }, { port: 70000 }, { port: 1.5 }, { linesPerStep: 0 }, { stepMs: -1 }, { speed: 0 }, { maxBodyBytes: 0 }, { faults: { probabilities: { http503: 3 } } }]) {
      expect(() => resolveOptions(o), JSON.stringify(o)).to.throw(RangeError);
    }
    try {
      resolveOptions({ apiKeys: ['bad key with spaces'] });
      expect.fail('should throw');
    } catch (e) {
      expect((e as Error).message).not.to.contain('bad key');
    }
  });

  it('rejects startEmulator when the port is taken', async () => {
    const a = await startEmulator();
    try {
      let err: unknown;
      await startEmulator({ port: a.port }).catch((e: unknown) => (err = e));
      expect((err as NodeJS.ErrnoException).code).to.equal('EADDRINUSE');
    } finally {
      await a.close();
    }
  });
});
