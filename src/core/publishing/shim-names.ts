/** A name safe as a file name and a shell command word: lowercase letters, digits, dots, dashes, underscores. */
function sanitize(text: string): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return cleaned.slice(0, 60) || 'app';
}

/**
 * The command name of each app of a workspace: `WORKSPACE-APP`, so a shim never shadows a host
 * command of the app's own name (an app called `ls` or `sh` in the guest). Ids that clean up to
 * the same name get -2, -3… in id order, so the names are unique and stable.
 */
export function shimNames(workspace: string, appIds: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const id of [...appIds].sort()) {
    const base = `${workspace}-${sanitize(id)}`;
    let name = base;
    for (let suffix = 2; taken.has(name); suffix++) name = `${base}-${suffix}`;
    taken.add(name);
    names.set(id, name);
  }
  return names;
}
