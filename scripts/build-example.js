// Builds examples/angular against this checkout's library build (dist/): installs the example's
// dependencies when they are missing, refreshes its installed copy of nucleus-rx from dist/ (so a
// library change needs no reinstall), then runs `ng build`. Run `npm run build` first.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const example = path.join(root, 'examples', 'angular');
const installed = path.join(example, 'node_modules', 'nucleus-rx');

if (!fs.existsSync(path.join(root, 'dist', 'esm', 'index.js'))) {
  console.error('build-example: dist/ is missing, run `npm run build` first');
  process.exit(1);
}
const env = { ...process.env, NG_CLI_ANALYTICS: 'false', NG_FORCE_TTY: 'false' };
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
if (!fs.existsSync(path.join(example, 'node_modules', '@angular', 'build'))) {
  execFileSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: example, stdio: 'inherit', env });
}
// The example installs nucleus-rx as a packed copy (install-links): refresh that copy in place.
fs.rmSync(path.join(installed, 'dist'), { recursive: true, force: true });
fs.cpSync(path.join(root, 'dist'), path.join(installed, 'dist'), { recursive: true });
fs.copyFileSync(path.join(root, 'package.json'), path.join(installed, 'package.json'));

try {
  execFileSync(process.execPath, [path.join(example, 'node_modules', '@angular', 'cli', 'bin', 'ng.js'), 'build'], {
    cwd: example,
    stdio: 'inherit',
    env,
  });
} catch {
  console.error('build-example: `ng build` of examples/angular failed (see above)');
  process.exit(1);
}
