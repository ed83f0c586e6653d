import type { ForwardedPort, GuestAgentSession } from '../../plugin-api/index.js';
import type { WorkspaceManifest } from '../package/manifest-schema.js';
import type { AttachedVm } from '../workspace/attached-vm.js';
import type { Workspace } from '../workspace/open-workspace.js';
import { findFreeRdp, FREERDP_INSTALL_HINT, FREERDP_PROGRAMS, FREERDP_PROGRAMS_WITHOUT_X11, type FreeRdpClient } from './freerdp-client.js';

export type RdpOffer = NonNullable<WorkspaceManifest['rdp']>;

/** Everything a RemoteApp launch needs, each piece found on this host, VM and guest agent. */
export interface RemoteAppRoute {
  rdp: RdpOffer;
  client: FreeRdpClient;
  address: ForwardedPort;
  setUserPassword: NonNullable<GuestAgentSession['setUserPassword']>;
}

/** Why RemoteApp cannot be used for this launch, and what would make it work. */
export interface RemoteAppMissing {
  reason: string;
  hint: string;
  /** The package offers no RemoteApp at all: nothing for the user to fix on this side. */
  notOffered?: boolean;
}

export type RemoteAppChoice = { route: RemoteAppRoute; missing?: undefined } | { route?: undefined; missing: RemoteAppMissing };

function remoteAppSetting(ws: Workspace): { on: boolean; source: string; locked: boolean } {
  const settings = ws.core.settings;
  const described = settings.describe('publishing.remoteApp');
  return { on: settings.get('publishing.remoteApp'), source: described.source, locked: described.locked };
}

/**
 * Whether a GUI app can open as an RDP RemoteApp window on the user's desktop, checked in
 * order: the package offers RDP with RemoteApp, publishing.remoteApp is on, a FreeRDP client
 * is installed, the hypervisor reaches the guest's RDP port, and the guest agent can set the
 * RDP account's password. The first missing piece is named, with its fix. (The host display
 * is checked before the workspace starts, for both ways of showing an app.)
 */
export async function chooseRemoteApp(ws: Workspace, target: AttachedVm, manifest: WorkspaceManifest, session: GuestAgentSession): Promise<RemoteAppChoice> {
  const rdp = manifest.rdp;
  if (!rdp?.remoteApp) {
    return { missing: { reason: `the package of "${ws.name}" offers no RDP RemoteApp`, hint: 'ask for a package with an "rdp" section (a guest offering RDP RemoteApp)', notOffered: true } };
  }
  const setting = remoteAppSetting(ws);
  if (!setting.on) {
    return {
      missing: {
        reason: `RDP RemoteApp is turned off (publishing.remoteApp, set by ${setting.source})`,
        hint: setting.locked ? `machine policy turned it off (${setting.source}); ask your administrator` : 'turn it on with `twinbox config set publishing.remoteApp true`',
      },
    };
  }
  const env = ws.core.env;
  const display = Object.fromEntries(['DISPLAY', 'WAYLAND_DISPLAY', 'XAUTHORITY', 'XDG_RUNTIME_DIR'].flatMap((name) => (env[name] ? [[name, env[name]!]] : [])));
  const client = await findFreeRdp(ws.core.commandRunner, { x11Display: Boolean(env.DISPLAY), env: display });
  if (!client) {
    const looked = env.DISPLAY ? FREERDP_PROGRAMS : FREERDP_PROGRAMS_WITHOUT_X11;
    return { missing: { reason: `FreeRDP is not installed on this host (looked for ${looked.join(', ')} on PATH)`, hint: FREERDP_INSTALL_HINT } };
  }
  const address = await target.hypervisor.forwardPort?.(target.vm, rdp.port);
  if (!address) {
    return {
      missing: {
        reason: `the ${target.hypervisor.displayName} VM of "${ws.name}" gives no way to reach its RDP port ${rdp.port}`,
        hint: target.hypervisor.forwardPort ? 'the VM needs a network: use a package with vm.network "nat" (or "bridged")' : `the ${target.hypervisor.name} plugin cannot forward guest ports; update it`,
      },
    };
  }
  if (!session.setUserPassword) {
    return {
      missing: {
        reason: `the guest agent (${manifest.guestAgent.plugin}) cannot set the password of the RDP account "${rdp.user}"`,
        hint: `update the ${manifest.guestAgent.plugin} guest-agent plugin (it needs guest-set-user-password)`,
      },
    };
  }
  return { route: { rdp, client, address, setUserPassword: session.setUserPassword.bind(session) } };
}
