/**
 * The `nucleus-rx/node` subpath export: resolvable by name from CommonJS and ESM, with the same API.
 */
import { expect } from 'chai';

// A real dynamic import(): TypeScript would turn `import()` into `require()` in this CommonJS build.
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<Record<string, unknown>>;

describe('nucleus-rx/node (package entry)', () => {
  it('resolves by name from CommonJS and ESM, exporting createNodeFetch', async () => {
    const cjs = require('nucleus-rx/node') as Record<string, unknown>;
    const esm = await importEsm('nucleus-rx/node');
    expect(require.resolve('nucleus-rx/node')).to.match(/dist[\\/]cjs[\\/]node[\\/]index\.js$/);
    expect(typeof cjs['createNodeFetch']).to.equal('function');
    expect(typeof esm['createNodeFetch']).to.equal('function');
  });
});
