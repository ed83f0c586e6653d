/**
 * The baseline for `twinbox start`: launch the very QEMU command line twinbox last used and poll
 * the guest agent until it answers guest-ping, with nothing else around it. Prints nothing;
 * exits 0 once the agent answered, with QEMU still running (the caller stops it).
 * Usage: node bare-qemu-boot.js <qemu-vm.json>
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { argv: string[]; paths: { channels: Record<string, string> } };
const [qemu, ...args] = config.argv;
execFileSync(qemu!, args, { stdio: 'ignore' });
const socket = Object.values(config.paths.channels)[0]!;

function ping(): Promise<boolean> {
  return new Promise((resolve) => {
    const channel = connect(socket);
    let buffer = '';
    const done = (answered: boolean) => {
      clearTimeout(timer);
      channel.destroy();
      resolve(answered);
    };
    const timer = setTimeout(() => done(false), 1_000);
    channel.on('error', () => done(false));
    channel.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      if (buffer.includes('"return": 4242') || buffer.includes('"return":4242')) done(true);
    });
    channel.write(Buffer.concat([Buffer.from([0xff]), Buffer.from('{"execute":"guest-sync-delimited","arguments":{"id":4242}}\n')]));
  });
}

const deadline = Date.now() + 180_000;
while (Date.now() < deadline) {
  if (await ping()) process.exit(0);
  await new Promise((resolve) => setTimeout(resolve, 50));
}
process.exit(1);
