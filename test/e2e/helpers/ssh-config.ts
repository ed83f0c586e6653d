import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SshHost } from '../../helpers/sshd.js';

/** An ssh_config naming each host by an alias, with its port, user, key and known_hosts. */
export function sshConfig(dir: string, hosts: Record<string, { host: SshHost; knownHosts?: string }>): string {
  const file = join(dir, `ssh_config-${Object.keys(hosts).join('-')}`);
  const blocks = Object.entries(hosts).map(([alias, { host, knownHosts }]) =>
    [
      `Host ${alias}`,
      `  HostName ${host.address}`,
      `  Port ${host.port}`,
      `  User ${host.user.name}`,
      `  IdentityFile ${host.identityFile}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${knownHosts ?? host.knownHostsFile}`,
      '  GlobalKnownHostsFile /dev/null',
      '',
    ].join('\n'),
  );
  writeFileSync(file, blocks.join('\n'), { mode: 0o600 });
  return file;
}
