#!/usr/bin/env node
// CommonJS (bin/package.json says so): `--version` is answered before Node's ES module loader
// is started, which alone costs more than the rest of the answer. Everything else loads the CLI,
// an ES module bundle, through import().
'use strict';
// NO_COLOR wins over FORCE_COLOR (as the terminal UI decides, src/ui/terminal/capabilities.ts).
// With both set, node warns as soon as a module that asks whether colours work is linked
// (Node 24: any import of node:util), so FORCE_COLOR goes before the CLI's modules are loaded.
if (process.env.NO_COLOR && process.env.FORCE_COLOR !== undefined) delete process.env.FORCE_COLOR;
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // This file sits in the package's bin folder, beside the package.json whose version it is.
  // Written straight to file descriptor 1: creating process.stdout's stream costs a few ms more,
  // and a closed pipe (`twinbox --version | true`) ends quietly either way.
  const fs = require('node:fs');
  const { version } = JSON.parse(fs.readFileSync(require('node:path').join(__dirname, '..', 'package.json'), 'utf8'));
  try {
    fs.writeSync(1, `${version}\n`);
  } catch {
    // EPIPE: nobody reads the answer.
  }
} else {
  import('../build/dist/cli.js');
}
