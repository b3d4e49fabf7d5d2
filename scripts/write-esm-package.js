// Marks dist/esm as ES modules and dist/cjs as CommonJS, whatever the root package says.
const fs = require('node:fs');
fs.writeFileSync('dist/esm/package.json', JSON.stringify({ type: 'module', sideEffects: false }) + '\n');
fs.writeFileSync('dist/cjs/package.json', JSON.stringify({ type: 'commonjs', sideEffects: false }) + '\n');
