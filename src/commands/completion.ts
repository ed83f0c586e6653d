import type { CommandContext } from './command-context.js';
import { UsageError } from './usage-error.js';

/**
 * The completion scripts are thin: on Tab each asks `twinbox __complete words CWORD WORDS...`
 * (src/commands/complete-names.ts) what may come next, and offers it — names, or the shell's
 * own file or folder completion. So commands, options and their values always match the
 * installed twinbox, and the logic lives in one tested place. The program called back is the
 * one typed on the command line (`twinbox`, `./bin/twinbox.js`, a full path).
 */
const SCRIPTS: Record<string, string> = {
  bash: `# bash completion for twinbox: source <(twinbox completion bash)
_twinbox() {
  local program=\${COMP_WORDS[0]} cur=\${COMP_WORDS[COMP_CWORD]} line
  [[ $program == "~/"* ]] && program=$HOME/\${program#"~/"}
  local -a lines
  mapfile -t lines < <("$program" __complete words "$COMP_CWORD" "\${COMP_WORDS[@]}" 2>/dev/null)
  COMPREPLY=()
  case \${lines[0]} in
    :files) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
    :dirs) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
    :names) for line in "\${lines[@]:1}"; do COMPREPLY+=("\${line%%$'\\t'*}"); done ;;
  esac
  return 0
}
complete -F _twinbox twinbox
`,
  zsh: `#compdef twinbox
# zsh completion for twinbox: source <(twinbox completion zsh) after compinit, or save it as
# _twinbox in a folder of $fpath
_twinbox() {
  local program=\${words[1]/#\\~/$HOME}
  local -a lines described
  lines=("\${(@f)$("$program" __complete words $((CURRENT - 1)) "\${words[@]}" 2>/dev/null)}")
  case $lines[1] in
    :files) _files ;;
    :dirs) _files -/ ;;
    :names)
      local line
      for line in "\${(@)lines[2,-1]}"; do
        [[ -n $line ]] && described+=("\${\${line%%$'\\t'*}//:/\\\\:}\${\${(M)line%%$'\\t'*}:+:\${line#*$'\\t'}}")
      done
      _describe -t values twinbox described ;;
  esac
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _twinbox "$@"
else
  compdef _twinbox twinbox
fi
`,
  fish: `# fish completion for twinbox: twinbox completion fish > ~/.config/fish/completions/twinbox.fish
function __twinbox_complete
    set -l words (commandline -opc) (commandline -ct)
    set -l lines ($words[1] __complete words (math (count $words) - 1) $words 2>/dev/null)
    set -l directive $lines[1]
    set -e lines[1]
    switch "$directive"
        case :files
            __fish_complete_path (commandline -ct)
        case :dirs
            __fish_complete_directories (commandline -ct)
        case :names
            printf '%s\\n' $lines
    end
end
complete -c twinbox -f -a '(__twinbox_complete)'
`,
};

export const SHELLS = Object.keys(SCRIPTS);

export function completionScript(shell: string): string | undefined {
  return Object.hasOwn(SCRIPTS, shell) ? SCRIPTS[shell] : undefined;
}

export async function run(args: string[], context: CommandContext): Promise<number> {
  const [shell, ...extra] = args;
  if (shell === undefined) throw new UsageError(`name the shell: twinbox completion ${SHELLS.join('|')}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}": give one shell (${SHELLS.join(', ')})`);
  const script = completionScript(shell);
  if (script === undefined) throw new UsageError(`no completion for the shell "${shell}": twinbox has scripts for ${SHELLS.join(', ')}`);
  context.stdout.write(script);
  return 0;
}
