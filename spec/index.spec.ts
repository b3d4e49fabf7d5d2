/**
 * The root entry must run unchanged in a browser: walks the built ESM graph from dist/esm/index.js
 * (built by `npm test` before the specs) and checks what every reachable module imports and uses.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../dist/esm');
const ALLOWED_PACKAGES = /^(rxjs|io-ts|fp-ts\/lib\/[A-Za-z]+\.js|cross-fetch)$/;

function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

function reachable(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const code = stripComments(readFileSync(file, 'utf8'));
    seen.set(file, code);
    for (const m of code.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) visit(join(dirname(file), spec));
      else expect(spec, `${file} imports ${spec}`).to.match(ALLOWED_PACKAGES);
    }
  };
  visit(entry);
  return seen;
}

describe('root entry (browser safety)', () => {
  it('reaches no Node-only module, no Buffer, and process only in the guarded environment lookup', () => {
    const files = reachable(join(ROOT, 'index.js'));
    expect(files.size).to.be.greaterThan(10);
    for (const [file, code] of files) {
      expect(code, file).not.to.match(/\bnode:|\bBuffer\b|\brequire\(/);
      // Relative to dist/esm: the checkout itself may live in a folder named `cli` or `emulator`.
      expect(relative(ROOT, file), 'emulator and cli are Node-only').not.to.match(/^(emulator|cli)\//);
      if (/\bprocess\b/.test(code)) {
        expect(file.endsWith('/http/environment.js'), `${file} uses process`).to.equal(true);
        expect(code).to.contain("typeof process !== 'undefined'");
      }
    }
  });
});
