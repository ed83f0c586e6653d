import test from 'ava';
import type { GuestAgentSession, GuestExecRequest, GuestExecResult } from 'twinbox/plugin-api';
import { customizerFor } from '../../../src/core/setup/guest/guest-customizer.js';

/** A Windows guest agent that records what it is asked to run and answers from a script. */
function windowsSession(answer: (request: GuestExecRequest) => Partial<GuestExecResult> = () => ({})) {
  const runs: GuestExecRequest[] = [];
  const writes: string[] = [];
  const refuse = async (): Promise<never> => {
    throw new Error('not used');
  };
  const session: GuestAgentSession = {
    ping: async () => undefined,
    info: refuse,
    osInfo: async () => ({ id: 'mswindows', name: 'Microsoft Windows' }),
    hostName: refuse,
    exec: async (request) => {
      runs.push(request);
      return { exitCode: 0, stdout: new Uint8Array(), stderr: new Uint8Array(), ...answer(request) };
    },
    readFile: refuse,
    writeFile: async (path) => void writes.push(path),
    listApps: refuse,
    launch: refuse,
    shutdown: refuse,
    close: async () => undefined,
  };
  const script = (index: number) => String(runs[index]?.args?.at(-1));
  return { session, runs, writes, script };
}

test('a Windows guest is renamed through PowerShell, skipping the rename when the name is already right', async (t) => {
  const { session, runs, script } = windowsSession();
  const guest = await customizerFor(session, 1_000);
  t.is(guest.family, 'windows');
  await guest.setComputerName(session, "O'NEIL-PC", 1_000);
  t.is(runs[0]?.path, 'powershell.exe');
  t.is(script(0), "if ($env:COMPUTERNAME -ne 'O''NEIL-PC') { Rename-Computer -NewName 'O''NEIL-PC' -Force -ErrorAction Stop }");
});

test('a Windows user is made an administrator through the well-known SID, whatever the group is called', async (t) => {
  const { session, script } = windowsSession();
  await (await customizerFor(session, 1_000)).ensureUser(session, { name: 'alice', addToAdmins: true }, 1_000);
  t.regex(script(0), /New-LocalUser -Name 'alice' -NoPassword/);
  t.regex(script(0), /Add-LocalGroupMember -SID 'S-1-5-32-544' -Member 'alice'/);
});

test('Windows setup scripts run by their kind, and a failing guest command reports its error output', async (t) => {
  const { session, runs, writes, script } = windowsSession((request) =>
    String(request.args?.at(-1)).includes('Set-WinSystemLocale') ? { exitCode: 1, stderr: new TextEncoder().encode('access denied\n') } : {},
  );
  const guest = await customizerFor(session, 1_000);
  const path = await guest.stageScript(session, '1-install.ps1', new Uint8Array([1]), 1_000);
  t.is(path, 'C:\\Windows\\Temp\\twinbox-setup\\1-install.ps1');
  t.deepEqual(writes, [path]);
  await guest.runScript(session, path, { workspace: 'office', computerName: 'PC1' }, 1_000);
  t.regex(script(runs.length - 1), /\$env:TWINBOX_WORKSPACE = 'office'.*& 'C:\\Windows\\Temp\\twinbox-setup\\1-install\.ps1'; exit \$LASTEXITCODE$/);
  await guest.runScript(session, 'C:\\x\\2-fix.cmd', { workspace: 'office' }, 1_000);
  t.regex(script(runs.length - 1), /& cmd\.exe \/c 'C:\\x\\2-fix\.cmd'/);
  t.like(await t.throwsAsync(async () => guest.runScript(session, 'C:\\x\\3-run.sh', { workspace: 'office' }, 1_000)), { code: 'setup-script-type' });
  const failed = await t.throwsAsync(guest.setLocale(session, 'de_DE.UTF-8', 1_000));
  t.like(failed, { code: 'guest-command-failed', message: 'setting the locale failed in the guest: access denied' });
  t.regex(script(runs.length - 1), /Set-WinSystemLocale -SystemLocale 'de-DE'/);
});
