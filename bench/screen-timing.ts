/**
 * Time to what a person sees: a program in a real pseudo-terminal (node-pty) whose output a
 * real terminal emulator (@xterm/headless) reads, timed from its spawn to the first moment its
 * screen shows what `shows` looks for — not to its exit, which for a full-screen program adds
 * its teardown (a last frame, leaving the alternate screen) that nobody waits for. A case
 * without `shows` is timed to its exit (`node -e 0`, the baseline). Cases run interleaved, as
 * in measure.ts, so machine noise hits them alike.
 */
import { performance } from 'node:perf_hooks';
import xtermHeadless from '@xterm/headless';
import { spawn } from 'node-pty';

const { Terminal } = xtermHeadless;

export interface ScreenCase {
  label: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** True once the screen (its rows as text) shows what is waited for. */
  shows?: (rows: string[]) => boolean;
}

const TIMEOUT_MS = 30_000;

function screenRows(terminal: InstanceType<typeof Terminal>): string[] {
  const buffer = terminal.buffer.active;
  const rows: string[] = [];
  for (let row = 0; row < terminal.rows; row++) rows.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
  return rows;
}

/** One run: milliseconds from spawn to the screen showing what the case waits for (or to exit). */
export function timeOnScreen(screenCase: ScreenCase, columns = 80, rows = 24): Promise<number> {
  const terminal = new Terminal({ cols: columns, rows, allowProposedApi: true });
  const env = { ...process.env, ...screenCase.env };
  delete env.CI;
  const started = performance.now();
  const child = spawn(screenCase.command, screenCase.args, { name: 'xterm-256color', cols: columns, rows, env: env as Record<string, string> });
  return new Promise<number>((resolve, reject) => {
    let seen: number | undefined;
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${screenCase.label}: the screen did not show what was waited for within ${TIMEOUT_MS / 1000} s; it showed:\n${screenRows(terminal).join('\n')}\n${output.slice(-400)}`));
    }, TIMEOUT_MS);
    child.onData((data) => {
      if (seen !== undefined) return;
      output += data;
      terminal.write(data, () => {
        if (seen !== undefined || !screenCase.shows?.(screenRows(terminal))) return;
        seen = performance.now() - started;
        // Quit as a user would; the next run starts once this one has ended.
        child.kill('SIGTERM');
      });
    });
    child.onExit(({ exitCode }) => {
      clearTimeout(timer);
      terminal.dispose();
      if (screenCase.shows === undefined) {
        if (exitCode !== 0) reject(new Error(`${screenCase.label} exited ${exitCode}: ${output.trim().slice(-400)}`));
        else resolve(performance.now() - started);
      } else if (seen !== undefined) resolve(seen);
      else reject(new Error(`${screenCase.label} exited ${exitCode} before its screen showed what was waited for:\n${output.trim().slice(-400)}`));
    });
  });
}

/** Samples of each case, interleaved round by round after `warmup` rounds. */
export async function sampleScreensSideBySide(cases: ScreenCase[], rounds: number, warmup = 2): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>(cases.map((screenCase) => [screenCase.label, []]));
  for (let round = 0; round < rounds + warmup; round++) {
    for (const screenCase of cases) {
      const elapsed = await timeOnScreen(screenCase);
      if (round >= warmup) samples.get(screenCase.label)!.push(elapsed);
    }
  }
  return samples;
}

/**
 * The smallest Ink program — one line of text, drawn and kept on screen — bundled as twinbox's
 * CLI is (one ES module, React's production build, scripts/bundle-options.js): the floor
 * under any screen drawn with Ink here, which the dashboard's figures are read against.
 * Written into `dir`, which must sit inside this checkout so that ink and react resolve.
 */
export async function inkFloorProgram(dir: string): Promise<{ file: string; text: string }> {
  const { build } = await import('esbuild');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  mkdirSync(dir, { recursive: true });
  const text = 'hello from ink';
  writeFileSync(
    join(dir, 'entry.js'),
    `import { createElement } from 'react';\nimport { render, Text } from 'ink';\nrender(createElement(Text, null, ${JSON.stringify(text)}), { exitOnCtrlC: false });\nsetInterval(() => undefined, 1000);\n`,
  );
  const file = join(dir, 'ink-floor.mjs');
  // The CLI's own bundle options and devtools plug (scripts/bundle-options.js, untyped JavaScript).
  const options = (await import(new URL('../../scripts/bundle-options.js', import.meta.url).href)) as {
    bundleOptions(): Record<string, unknown>;
    withoutInkDevtools: NonNullable<Parameters<typeof build>[0]['plugins']>[number];
  };
  await build({ ...options.bundleOptions(), logLevel: 'error', entryPoints: [join(dir, 'entry.js')], outfile: file, plugins: [options.withoutInkDevtools] });
  return { file, text };
}
