import { spawn, type ChildProcess } from 'node:child_process';
import { QgaPeer, type QgaPeerOptions } from './qga-peer.js';

/**
 * What a recorded transcript cannot give a plugin under test: a VM process and a guest agent
 * behind the VM's channel. Transcript steps switch it on and off from their `effect`s, as the
 * real hypervisor would (`startvm` → `powerOn`, `controlvm … poweroff` → `powerOff`): while
 * it is on, a real process stands for the VM (its pid is what the recorded output reports,
 * and it is gone after a power-off) and a QEMU guest agent answers on the channel's socket.
 */
export class TranscriptGuest {
  private process?: ChildProcess;
  private exited?: Promise<void>;
  private agent?: QgaPeer;

  constructor(private readonly agentOptions: Omit<QgaPeerOptions, 'socketPath'> = {}) {}

  /** The stand-in VM process's pid while the guest is on. */
  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** Starts the VM process and serves the guest agent on `channelSocket`; returns the pid. */
  async powerOn(channelSocket: string): Promise<number> {
    if (this.process?.pid !== undefined) return this.process.pid;
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', reject);
    });
    this.process = child;
    this.agent = await QgaPeer.start({ ...this.agentOptions, socketPath: channelSocket });
    return child.pid!;
  }

  /** Ends the VM process (waiting until it is gone) and the guest agent with it. */
  async powerOff(): Promise<void> {
    const child = this.process;
    const agent = this.agent;
    this.process = undefined;
    this.agent = undefined;
    await agent?.close();
    if (child) {
      child.kill('SIGKILL');
      await this.exited;
    }
  }
}
