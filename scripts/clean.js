// Removes build output folders given as arguments (portable `rm -rf`).
const fs = require('node:fs');
for (const dir of process.argv.slice(2)) fs.rmSync(dir, { recursive: true, force: true });
