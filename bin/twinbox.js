#!/usr/bin/env node
// NO_COLOR wins over FORCE_COLOR (as the terminal UI decides, src/ui/terminal/capabilities.ts).
// With both set, node warns as soon as a module that asks whether colours work is linked
// (Node 24: any import of node:util), so FORCE_COLOR goes before the CLI's modules are loaded.
if (process.env.NO_COLOR && process.env.FORCE_COLOR !== undefined) delete process.env.FORCE_COLOR;
await import('../build/dist/cli.js');
