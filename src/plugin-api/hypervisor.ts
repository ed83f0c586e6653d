import type { Duplex } from 'node:stream';

/**
 * The one state vocabulary every hypervisor plugin maps its tool's states onto.
 * `not-created` means the hypervisor has no such VM (any more); `crashed` means it stopped
 * without being asked to; `unknown` means the tool answered something we could not map.
 */
export const VM_STATES = [
  'not-created',
  'stopped',
  'starting',
  'running',
  'paused',
  'suspending',
  'suspended',
  'stopping',
  'crashed',
  'unknown',
] as const;
export type VmState = (typeof VM_STATES)[number];

export interface VmStatus {
  state: VmState;
  /** Why the VM is in this state, in words a user understands ("stopped by guest shutdown"). */
  reason: string;
  /** Host process id of the VM, where there is one. */
  pid?: number;
  /** Resource figures where the plugin can read them. */
  cpuPercent?: number;
  memoryBytes?: number;
}

/**
 * A reading of what a running VM uses on the host (the optional `metrics` capability, API 1.3).
 * CPU as the time used since the VM's process started, for the caller to difference (QEMU,
 * the fake), or as the hypervisor's own rate (VirtualBox, Hyper-V); each figure only where the
 * plugin can read it.
 */
export interface VmMetrics {
  /** When it was read, in ms since the epoch. */
  at: number;
  /** CPU time the VM's host processes used since they started, in seconds. */
  cpuSeconds?: number;
  /** CPU use the hypervisor measured over its own last period, in percent of the host's whole CPU capacity (all cores). */
  cpuPercent?: number;
  /** Host memory the VM holds now, in bytes (its process's resident set, or what is assigned to it). */
  memoryBytes?: number;
}

export interface Availability {
  usable: boolean;
  /** Why it is (not) usable, and for an unusable one, the fix ("install qemu-system-x86 …"). */
  reason: string;
  /** The tool's version, read once and cached by the plugin. */
  version?: string;
  /** Extra facts shown by `doctor` (acceleration, binary paths…). */
  details?: Record<string, string>;
}

export const DISK_FORMATS = ['qcow2', 'raw', 'vhd', 'vhdx', 'vdi', 'vmdk'] as const;
export type DiskFormat = (typeof DISK_FORMATS)[number];

/**
 * Ways a hypervisor makes host folders visible in its guests (API 1.3):
 * - `9p`: each `VmSpec.sharedFolders` entry becomes a virtio-9p export the guest mounts by
 *   its tag (`mount -t 9p -o trans=virtio,version=9p2000.L TAG PATH`); twinbox mounts them
 *   through the guest agent at every start.
 * - `rdp-drive`: only through RDP drive redirection (FreeRDP's `/drive:`), which twinbox's RDP
 *   route does for shared folders whose guest path is `\\tsclient\NAME`.
 */
export const FOLDER_SHARING = ['9p', 'rdp-drive'] as const;
export type FolderSharing = (typeof FOLDER_SHARING)[number];

/** A mount tag: what a 9p export is known by in the guest (QEMU allows 31 bytes). */
export const SHARE_TAG_PATTERN = /^[A-Za-z0-9_-]{1,31}$/;

/** A host folder the VM exports to its guest (API 1.3; only to plugins whose `folderSharing` has `9p`). */
export interface VmSharedFolder {
  /** Absolute path of an existing host folder (the core has expanded `~/` and checked it). */
  hostPath: string;
  /** What the guest mounts it by: SHARE_TAG_PATTERN, unique within the VM. */
  tag: string;
  /** The guest may read but not write it. */
  readOnly: boolean;
}

export interface HypervisorCapabilities {
  /** A VM disk can be a thin overlay on a read-only base (qcow2 backing file, differencing disk). */
  linkedClones: boolean;
  /** Save RAM to disk and stop; the next start restores it. */
  suspend: boolean;
  /** Freeze the vCPUs in memory. */
  pause: boolean;
  snapshots: boolean;
  /** Byte-stream channels into the guest through `openChannel`. */
  channels: boolean;
  /** Disk formats `importImage` accepts. */
  importFormats: readonly DiskFormat[];
  /**
   * Disk formats `create` takes as a base image as they are (API 1.2): an image in one of
   * them needs no `importImage`; any other is imported first, and `importImage` returns an
   * image in one of these. Absent (a plugin built for API 1.1): every image is imported first.
   */
  createFormats?: readonly DiskFormat[];
}

/** How a hypervisor shares host folders with its guests (API 1.3), as `twinbox doctor` tells it. */
export interface FolderSharingSupport {
  /** Empty: it shares none itself. */
  ways: readonly FolderSharing[];
  /** Why a way is missing, or what the guest needs ("the guest kernel needs 9p and 9pnet_virtio"). */
  note?: string;
}

/**
 * How an image of `format` becomes a VM on a hypervisor with these capabilities: `create`
 * takes it as it is, `import` brings it in with `importImage` first, undefined when neither
 * can. The core decides this once, before it calls either.
 */
export function imageRoute(capabilities: HypervisorCapabilities, format: DiskFormat): 'create' | 'import' | undefined {
  if (capabilities.createFormats?.includes(format)) return 'create';
  if (capabilities.importFormats.includes(format)) return 'import';
  return undefined;
}

export interface ProgressReport {
  /** 0–100 where known. */
  percent?: number;
  message?: string;
}

export interface OperationOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ProgressReport) => void;
}

export interface ImportImageRequest {
  /** Path of the image file on the host. */
  source: string;
  format: DiskFormat;
  /** Folder the plugin writes the imported (read-only) base image into. */
  destinationDir: string;
}

export interface ImportedImage {
  path: string;
  format: DiskFormat;
  sizeBytes: number;
}

export type VmDisplayMode = 'none' | 'vnc' | 'console';

export interface VmSpec {
  /** A validated name: lowercase letters, digits and dashes, 1–40 characters. */
  id: string;
  /** Base image, as returned by `importImage`. */
  image: ImportedImage;
  /** Folder that holds this VM's own files (overlay disk, saved state). */
  vmDir: string;
  memoryMiB: number;
  cpus: number;
  network: 'nat' | 'bridged' | 'none';
  /** Named byte-stream channels into the guest, e.g. `org.qemu.guest_agent.0`. */
  channels: readonly string[];
  /** Interactive console ports for app sessions. */
  consoles?: number;
  /** Hint for the hypervisor's OS type ("linux", "windows"). */
  guestOs?: string;
  /**
   * A screen the user can watch (graphical apps); none by default. `console` asks for the
   * hypervisor's own way to show it (VirtualBox's VRDE, Hyper-V's vmconnect, QEMU's VNC);
   * `vnc` is the name packages for QEMU have used, and means the same.
   */
  display?: VmDisplayMode;
  /**
   * Host folders exported to the guest (API 1.3), given only to plugins whose `folderSharing`
   * has `9p`; the guest mounts them by tag. Absent or empty: none.
   */
  sharedFolders?: readonly VmSharedFolder[];
}

/** Where a running VM's screen can be watched. */
export interface VmDisplay {
  /**
   * `vnc`/`spice`: a remote-framebuffer server (QEMU); `rdp`: the hypervisor's own RDP server
   * showing the VM's console (VirtualBox VRDE); `console`: the hypervisor's own viewer window
   * (Hyper-V's vmconnect), with no network address of its own.
   */
  protocol: 'vnc' | 'spice' | 'rdp' | 'console';
  /** A unix socket path (owner-only), host:port, or for `console` the VM as the viewer names it. */
  address: string;
  /** How to watch it, for the user: a viewer command line. */
  viewer: string;
  /** The same viewer as an argument array, where twinbox may start it itself (never a shell string). */
  viewerCommand?: readonly string[];
}

/** A host address that reaches a TCP port of the running guest (for RDP RemoteApp). */
export interface ForwardedPort {
  host: string;
  port: number;
}

/** What the core keeps about a VM; the plugin may store its own fields in `data`. */
export interface VmRef {
  id: string;
  vmDir: string;
  data?: Record<string, string | number | boolean>;
}

export interface StartOptions extends OperationOptions {
  /** Wait until the VM reports running (not until the guest is ready). */
  timeoutMs?: number;
}

export interface StopOptions extends OperationOptions {
  /** Power the VM off at once instead of asking the guest. */
  force?: boolean;
  /** How long a graceful stop may take before it is forced. */
  timeoutMs?: number;
}

export interface StopResult {
  /** `graceful` when the guest shut down in time, `forced` when it was powered off. */
  how: 'graceful' | 'forced' | 'already-stopped';
}

export interface SnapshotInfo {
  name: string;
  createdAt?: string;
  sizeBytes?: number;
}

export interface HypervisorPlugin {
  readonly kind: 'hypervisor';
  readonly name: string;
  /** Shown to users; a test double says so ("fake (simulated)"). */
  readonly displayName: string;
  /** True for a hypervisor that runs no real guest. */
  readonly simulated: boolean;

  detect(): Promise<Availability>;
  capabilities(): HypervisorCapabilities;
  /**
   * The ways it shares host folders with its guests (API 1.3). Absent (a plugin built for an
   * older API): none of its own, as before.
   */
  readonly folderSharing?: FolderSharingSupport;

  importImage(request: ImportImageRequest, options?: OperationOptions): Promise<ImportedImage>;
  /** Creates the VM; its disk is a linked clone of the base where `linkedClones` is true. */
  create(spec: VmSpec, options?: OperationOptions): Promise<VmRef>;
  start(vm: VmRef, options?: StartOptions): Promise<void>;
  stop(vm: VmRef, options?: StopOptions): Promise<StopResult>;
  pause(vm: VmRef): Promise<void>;
  /** Saves the VM's memory so that it survives a host reboot, then stops it. */
  suspend(vm: VmRef, options?: OperationOptions): Promise<void>;
  /** Resumes a paused or suspended VM. */
  resume(vm: VmRef, options?: OperationOptions): Promise<void>;
  state(vm: VmRef): Promise<VmStatus>;

  listSnapshots(vm: VmRef): Promise<SnapshotInfo[]>;
  createSnapshot(vm: VmRef, name: string): Promise<void>;
  restoreSnapshot(vm: VmRef, name: string): Promise<void>;
  deleteSnapshot(vm: VmRef, name: string): Promise<void>;

  /** Stops the VM if needed and deletes it with its own disks (never the base image). */
  remove(vm: VmRef): Promise<void>;
  /** A byte stream into the guest on the named channel. The caller ends it. */
  openChannel(vm: VmRef, name: string): Promise<Duplex>;
  /** The running VM's screen, if it has one the user can watch. Optional: plugins without displays leave it out. */
  display?(vm: VmRef): Promise<VmDisplay | undefined>;
  /**
   * A host address that reaches TCP `guestPort` of the running guest: a loopback port forwarded
   * by the hypervisor's NAT (QEMU, VirtualBox) or the guest's own address on the host's network
   * (Hyper-V). Optional: undefined where the guest cannot be reached (no network).
   */
  forwardPort?(vm: VmRef, guestPort: number): Promise<ForwardedPort | undefined>;
  /**
   * The last lines the guest printed on its console during its latest boot, where the
   * hypervisor captures them (optional): shown when its guest agent does not answer.
   */
  consoleTail?(vm: VmRef): Promise<string | undefined>;
  /**
   * What the running VM uses on the host now (optional, API 1.3): undefined when it is not
   * running or the figures cannot be read. Cheap enough to be asked every few seconds.
   */
  metrics?(vm: VmRef): Promise<VmMetrics | undefined>;
}
