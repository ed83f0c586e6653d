import { TwinboxError } from 'twinbox/plugin-api';

export function agentError(command: string, errorClass: string, desc: string): TwinboxError {
  return new TwinboxError('guest-agent-error', desc, { details: { command, class: errorClass } });
}

export function agentTimeout(what: string, timeoutMs: number, details: Record<string, unknown> = {}): TwinboxError {
  return new TwinboxError('guest-agent-timeout', `${what}: no answer from the guest agent within ${timeoutMs} ms`, {
    exit: 'timeout',
    hint: 'check that the guest is running and qemu-guest-agent is installed and started in it',
    details: { timeoutMs, ...details },
  });
}

export function agentDisconnected(cause?: unknown): TwinboxError {
  return new TwinboxError('guest-agent-disconnected', 'the guest agent channel is closed', {
    hint: 'the VM stopped or another client took the channel; reconnect',
    cause,
  });
}

export function agentCancelled(cause?: unknown): TwinboxError {
  return new TwinboxError('cancelled', 'guest agent connection cancelled', { cause });
}

/** A reply that is valid JSON but not the shape the command documents. */
export function agentProtocolError(command: string, message: string): TwinboxError {
  return new TwinboxError('guest-agent-protocol', `${command}: ${message}`, { details: { command } });
}
