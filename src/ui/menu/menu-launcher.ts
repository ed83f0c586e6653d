import { Readable, Writable } from 'node:stream';
import { processTerminal } from '../../core/apps/host-terminal.js';
import type { MenuEntry } from '../../core/apps/menu-entries.js';
import { runApp, type RunAppResult } from '../../core/apps/run-app.js';
import { recordLaunch } from '../../core/apps/usage-counts.js';
import type { Core } from '../../core/open-core.js';
import { startWorkspace } from '../../core/workspace/start-workspace.js';

/** How the menu starts apps; the core does the work, the menu only shows it. */
export interface MenuLauncher {
  /** Runs a command app to its end, passing its output on as it arrives. */
  runCommand(entry: MenuEntry, onProgress: (message: string) => void, onOutput: (text: string) => void): Promise<RunAppResult>;
  /** Starts or resumes the workspace of a terminal app while the menu can still show progress. */
  prepareTerminal(entry: MenuEntry, onProgress: (message: string) => void): Promise<void>;
  /** Runs a terminal app on the process's own terminal: the menu is not drawn meanwhile. */
  runTerminal(entry: MenuEntry, stdin: NodeJS.ReadStream, stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream): Promise<RunAppResult>;
  /** This session can show a GUI app's window (DISPLAY or WAYLAND_DISPLAY is set; over SSH it is not). */
  readonly showsWindows: boolean;
  /** Opens a GUI app and leaves it running: an RDP RemoteApp window on this desktop, or on the VM's screen. */
  openGui(entry: MenuEntry, onProgress: (message: string) => void): Promise<RunAppResult>;
}

function collector(onOutput: (text: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      onOutput(chunk.toString('utf8'));
      done();
    },
  });
}

/** The launcher of `twinbox menu`: the same runApp as `twinbox run`, and a count of each launch. */
export function coreLauncher(core: Core): MenuLauncher {
  const env = core.env;
  return {
    showsWindows: Boolean(env.DISPLAY || env.WAYLAND_DISPLAY),
    async openGui(entry, onProgress) {
      const result = await runApp(core, entry.workspace, entry.app.id, { stdin: Readable.from([]), stdout: collector(() => undefined), stderr: collector(() => undefined) }, { onProgress });
      await recordLaunch(core, entry.workspace, entry.app.id);
      return result;
    },
    async runCommand(entry, onProgress, onOutput) {
      const output = collector(onOutput);
      const result = await runApp(core, entry.workspace, entry.app.id, { stdin: Readable.from([]), stdout: output, stderr: output }, { onProgress });
      await recordLaunch(core, entry.workspace, entry.app.id);
      return result;
    },
    async prepareTerminal(entry, onProgress) {
      await startWorkspace(core, entry.workspace, { onProgress });
    },
    async runTerminal(entry, stdin, stdout, stderr) {
      const result = await runApp(core, entry.workspace, entry.app.id, { stdin, stdout, stderr, terminal: processTerminal(stdin, stdout) });
      await recordLaunch(core, entry.workspace, entry.app.id);
      return result;
    },
  };
}
