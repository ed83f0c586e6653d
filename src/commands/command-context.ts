/** What a command runs with: the process's streams and environment (a test's own, in tests). */
export interface CommandContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** A command's code: the module its definition loads when the command runs. */
export interface CommandModule {
  run(args: string[], context: CommandContext): Promise<number>;
}

/**
 * One command, as src/commands/definitions/NAME.ts defines it: its name, the summary
 * `twinbox --help` lists, the help text `twinbox help NAME` prints (its usage lines and option
 * lines are also what completion offers: command-spec.ts), and its code, imported only when it
 * runs so that `--version`, `--help` and completion load none of it.
 */
export interface CommandDefinition {
  name: string;
  summary: string;
  help: string;
  load: () => Promise<CommandModule>;
}
