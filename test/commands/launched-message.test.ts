import test from 'ava';
import { launchedJson, launchedMessage } from '../../src/commands/launched-message.js';

const remote = { via: 'remoteapp' as const, pid: 4242, client: { program: 'xfreerdp3', version: '3.5.1' }, address: '127.0.0.1:3389', logFile: '/home/ann/.local/share/twinbox/workspaces/office/logs/remoteapp-word.log' };
const screen = { via: 'screen' as const, pid: 77, display: { protocol: 'vnc' as const, address: '/run/screen.sock', viewer: 'remote-viewer vnc+unix:///run/screen.sock' } };

test('a RemoteApp launch is told as a window on the desktop through RDP RemoteApp, with the FreeRDP version', (t) => {
  t.is(launchedMessage(remote), 'twinbox: opened as a window on your desktop through RDP RemoteApp (FreeRDP 3.5.1, xfreerdp3 pid 4242); closing the window closes the app\n');
  t.deepEqual(launchedJson(remote), { via: 'remoteapp', pid: 4242, client: { program: 'xfreerdp3', version: '3.5.1' }, address: '127.0.0.1:3389', log: remote.logFile });
});

test('a launch on the VM screen still names the screen and its viewer', (t) => {
  t.is(launchedMessage(screen), "twinbox: started in the guest (pid 77); its window is on the VM's screen (VNC at /run/screen.sock): remote-viewer vnc+unix:///run/screen.sock\n");
  t.deepEqual(launchedJson(screen), { via: 'screen', pid: 77, display: screen.display });
});
