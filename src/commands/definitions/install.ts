import type { CommandDefinition } from '../command-context.js';

export const install: CommandDefinition = {
  name: 'install',
  summary: 'verify and install a .twbx workspace package (unattended, for software distribution)',
  help: `Usage: twinbox install FILE [--unattended] [--overwrite] [--system] [--json]

Verifies the whole package before it changes anything: archive structure, workspace.json,
SHA256SUMS (computed while the image streams into a staging folder), the signature (required
when security.requireSignature is set; checked against security.trustedKeys when any are set),
free disk space, the guest-agent plugin and a usable hypervisor among those the package
allows. Then it moves the package into the store and registers the workspace with first-time
setup pending. A failure, Ctrl-C or kill leaves nothing behind.

The same version again is refused unless --overwrite (its VM is removed: guest data is lost).
A newer version is an upgrade: it is installed beside the old one, whose VM stays in use until
the new version has set up; a warning says which guest data will then be replaced. An older
version is refused.

Options:
  --unattended   never ask (software distribution); plain progress lines
  --overwrite    install the same version again
  --system       install machine-wide (TWINBOX_SYSTEM_DIR, default /var/lib/twinbox) for
                 every user; each user's own VM is set up on their first start. Root or
                 members of the folder's group (twinbox) only; root creates both on first use
  --json         print the result as JSON

Exit codes: 0 installed, 1 cannot install here (disk full, plugin or hypervisor missing),
2 bad arguments, no such file, already installed or older than installed, 3 package failed
verification (archive, manifest, sums, signature), 4 --system by a non-admin, 75 the
workspace is busy, 130 interrupted`,
  load: () => import('../install.js'),
};
