import type { CommandDefinition } from '../command-context.js';

export const completion: CommandDefinition = {
  name: 'completion',
  summary: 'print a shell completion script for bash, zsh or fish',
  help: `Usage: twinbox completion bash|zsh|fish

Prints a script that completes twinbox's commands, each command's options, and the names of
installed workspaces (yours and the machine-wide ones) and of their published apps. The names
come from twinbox when Tab is pressed: it reads the registries and app catalogs only, starts
no VM and takes no lock. Commands and options are those of the twinbox that printed the script.

  bash   source <(twinbox completion bash)     in ~/.bashrc
  zsh    source <(twinbox completion zsh)      in ~/.zshrc, after compinit
  fish   twinbox completion fish > ~/.config/fish/completions/twinbox.fish

Exit codes: 0 printed, 2 no shell or one twinbox has no script for`,
  load: () => import('../completion.js'),
};
