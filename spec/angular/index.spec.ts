/**
 * The `nucleus-rx/angular` subpath export: resolvable by name from CommonJS and ESM, exporting the
 * Angular API, and importing nothing but the root entry's modules, rxjs and @angular/core.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const API = ['NUCLEUS_CLIENT', 'injectNucleusClient', 'jobSignal', 'outsideAngular', 'outsideAngularScheduler', 'provideNucleus'];
// A real dynamic import(): TypeScript would turn `import()` into `require()` in this CommonJS build.
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<Record<string, unknown>>;

describe('nucleus-rx/angular (package entry)', () => {
  it('resolves by name from CommonJS and ESM, with the same API', async () => {
    // The package references itself by name through its `exports` map.
    const cjs = require('nucleus-rx/angular') as Record<string, unknown>;
    const esm = await importEsm('nucleus-rx/angular');
    expect(require.resolve('nucleus-rx/angular')).to.match(/dist[\\/]cjs[\\/]angular[\\/]index\.js$/);
    for (const name of API) {
      expect(typeof cjs[name], `cjs ${name}`).to.not.equal('undefined');
      expect(typeof esm[name], `esm ${name}`).to.not.equal('undefined');
    }
  });

  it('imports only @angular/core, rxjs and modules of the browser-safe root entry', () => {
    const root = resolve(__dirname, '../../../dist/esm');
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
      expect(code, file).not.to.match(/\bnode:|\bBuffer\b|\brequire\(/);
      for (const m of code.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) visit(join(dirname(file), spec));
        else expect(spec, `${file} imports ${spec}`).to.match(/^(@angular\/core|rxjs|io-ts|fp-ts\/lib\/[A-Za-z]+\.js|cross-fetch)$/);
      }
    };
    visit(join(root, 'angular', 'index.js'));
    // Relative to dist/esm: the checkout itself may live in a folder named `cli` or `emulator`.
    expect([...seen].some((f) => /^(emulator|cli)[\\/]/.test(relative(root, f)))).to.equal(false);
  });
});
