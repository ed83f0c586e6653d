import type { CommandDefinition } from '../command-context.js';

export const pack: CommandDefinition = {
  name: 'pack',
  summary: 'pack a workspace folder (workspace.json, disk image, scripts) into a .twbx package',
  help: `Usage: twinbox pack DIR --out FILE [--sign KEYFILE] [--gzip] [--json]

Packs DIR/workspace.json, the disk image it names (image.file) and its setup scripts into one
package: a tar archive holding workspace.json, SHA256SUMS, an optional ed25519 SIGNATURE, the
image and the scripts. image.sha256 may be omitted or "auto" in DIR: pack computes it. The
image is streamed, never loaded whole. Writes FILE.partial and renames it when complete; on an
error or Ctrl-C the partial file is removed. Progress goes to stderr.

Options:
  --out, -o FILE   the package to write (conventionally NAME-VERSION.twbx)
  --sign KEYFILE   sign with this ed25519 private key (from twinbox keygen)
  --gzip           compress the package (install detects it either way)
  --json           print the result as JSON

Exit codes: 0 packed, 2 bad arguments or missing files, 3 workspace.json invalid or the
image does not match image.sha256/image.format, 130 interrupted`,
  load: () => import('../pack.js'),
};
