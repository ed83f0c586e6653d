#!/usr/bin/env node
// NO_COLOR wins over FORCE_COLOR (as the terminal UI decides, src/ui/terminal/capabilities.ts).
// With both set, node warns as soon as a module that asks whether colours work is linked
// (Node 24: any import of node:util), so FORCE_COLOR goes before the CLI's modules are loaded.
if (process.env.NO_COLOR && process.env.FORCE_COLOR !== undefined) delete process.env.FORCE_COLOR;
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Answered before the CLI is loaded at all (1.08x of `node -e 0` against 1.21x through it):
  // this file sits in the package's bin folder, beside the package.json whose version it is.
  const { readFileSync } = await import('node:fs');
  process.stdout.once('error', () => process.exit(0));
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  await import('../build/dist/cli.js');
}
