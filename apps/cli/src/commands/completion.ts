import type { Command } from '../cli/command.js';
import { EXIT_OK } from '../cli/exit-codes.js';
import { UsageError } from '../cli/usage-error.js';

const WORDS =
  'apply diff delete get describe route top keys usage login validate version completion';

export const completionCommand: Command = {
  name: 'completion',
  summary: 'Print a shell completion script (bash or zsh).',
  usage: 'completion bash|zsh',
  description: 'Example: source <(bascule completion bash)',
  flags: {},
  maxArgs: 1,
  async run({ io, args }) {
    const shell = args[0];
    if (shell !== 'bash' && shell !== 'zsh')
      throw new UsageError('name a shell: bash or zsh', 'completion');
    const script = `_bascule() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  case "$prev" in
    bascule) COMPREPLY=($(compgen -W "${WORDS}" -- "$cur")); return;;
    get) COMPREPLY=($(compgen -W "models routes providers jobs batches" -- "$cur")); return;;
    delete) COMPREPLY=($(compgen -W "models routes providers" -- "$cur")); return;;
    describe) COMPREPLY=($(compgen -W "model" -- "$cur")); return;;
    keys) COMPREPLY=($(compgen -W "create list revoke" -- "$cur")); return;;
    route) COMPREPLY=($(compgen -W "explain" -- "$cur")); return;;
    -o|--output) COMPREPLY=($(compgen -W "table wide yaml json" -- "$cur")); return;;
    -f|--filename) COMPREPLY=($(compgen -f -- "$cur")); return;;
  esac
}
`;
    io.stdout.write(
      shell === 'zsh'
        ? `autoload -U +X bashcompinit && bashcompinit\n${script}complete -F _bascule bascule\n`
        : `${script}complete -F _bascule bascule\n`,
    );
    return Promise.resolve(EXIT_OK);
  },
};
