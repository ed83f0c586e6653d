/**
 * Text exactly as VBoxManage 7.1 prints it, built by functions so every transcript states
 * only what differs. Formats follow VBoxManage's documentation and real runs: machine-readable
 * `key="value"` lines, `"name" {uuid}` lists, and `VBoxManage: error:` blocks with a
 * Details line naming the status code.
 */

export const VERSION_OUTPUT = '7.1.4r165100\n';

export const VBOXDRV_WARNING = [
  'WARNING: The vboxdrv kernel module is not loaded. Either there is no module',
  '         available for the current kernel (6.8.0-49-generic) or it failed to',
  '         load. Please recompile the kernel module and install it by',
  '',
  '           sudo /sbin/vboxconfig',
  '',
  '         You will not be able to start VMs until this problem is fixed.',
  '',
].join('\n');

export const PROGRESS = '0%...10%...20%...30%...40%...50%...60%...70%...80%...90%...100%\n';

export interface MachineInfo {
  name: string;
  uuid: string;
  /** The folder given as --basefolder. */
  baseFolder: string;
  state: string;
  changeTime?: string;
  memory?: number;
  cpus?: number;
  uartPath?: string;
  diskPath?: string;
  /** How the first NIC is attached (NAT unless said). */
  nic?: 'nat' | 'bridged' | 'none';
  /** NAT forwarding rules as VirtualBox stores them: `name,tcp,hostip,hostport,guestip,guestport`. */
  forwardings?: readonly string[];
  /** VRDE switched on; `port` is what the running server took (-1 before it runs, 0 when no port was free). */
  vrde?: { port: number; ports?: string; address?: string };
}

/** The first NIC's lines: a disabled NIC prints only `nic1="none"`; NAT adds its socket settings and rules. */
function nicLines(info: MachineInfo): string[] {
  const attachment = info.nic ?? 'nat';
  if (attachment === 'none') return ['nic1="none"'];
  const common = ['macaddress1="080027D1A2B3"', 'cableconnected1="on"', `nic1="${attachment}"`, 'nictype1="82540EM"', 'nicspeed1="0"'];
  if (attachment === 'bridged') return ['bridgeadapter1="wlp2s0"', ...common];
  return [
    'natnet1="nat"',
    ...common,
    'mtu="0"',
    'sockSnd="64"',
    'sockRcv="64"',
    'tcpWndSnd="64"',
    'tcpWndRcv="64"',
    ...(info.forwardings ?? []).map((rule, index) => `Forwarding(${index})="${rule}"`),
  ];
}

/** VRDE settings lines, as VBoxManageInfo.cpp prints them when the server is switched on. */
function vrdeLines(info: MachineInfo): string[] {
  if (!info.vrde) return ['vrde="off"'];
  const ports = info.vrde.ports ?? '5000-5050';
  const address = info.vrde.address ?? '127.0.0.1';
  const unset = ['VideoChannel/Enabled', 'VideoChannel/Quality', 'VideoChannel/DownscaleProtection', 'Client/DisableDisplay', 'Client/DisableInput', 'Client/DisableAudio', 'Client/DisableUSB', 'Client/DisableClipboard', 'Client/DisableUpstreamAudio', 'Client/DisableRDPDR', 'H3DRedirect/Enabled', 'Security/Method', 'Security/ServerCertificate', 'Security/ServerPrivateKey', 'Security/CACertificate', 'Audio/RateCorrectionMode', 'Audio/LogPath'];
  return [
    'vrde="on"',
    `vrdeport=${info.vrde.port}`,
    `vrdeports="${ports}"`,
    `vrdeaddress="${address}"`,
    'vrdeauthtype="external"',
    'vrdemulticon="off"',
    'vrdereusecon="off"',
    'vrdevideochannel="off"',
    `vrdeproperty[TCP/Ports]="${ports}"`,
    `vrdeproperty[TCP/Address]="${address}"`,
    ...unset.map((name) => `vrdeproperty[${name}]=<not set>`),
  ];
}

/**
 * The live VRDE lines of a VM that has a console (running or paused). VirtualBox prints the
 * client count as `VRDEClients==0`: the name it passes already ends in "=".
 */
function liveVrdeLines(info: MachineInfo): string[] {
  return info.state === 'running' || info.state === 'paused' ? ['VRDEActiveConnection="off"', 'VRDEClients==0'] : [];
}

/** `showvminfo <vm> --machinereadable` of a VM twinbox created. */
export function showvminfo(info: MachineInfo): string {
  const folder = `${info.baseFolder}/${info.name}`;
  const lines = [
    `name="${info.name}"`,
    'Encryption="disabled"',
    'groups="/"',
    'ostype="Other Linux (64-bit)"',
    `UUID="${info.uuid}"`,
    `CfgFile="${folder}/${info.name}.vbox"`,
    `SnapFldr="${folder}/Snapshots"`,
    `LogFldr="${folder}/Logs"`,
    `hardwareuuid="${info.uuid}"`,
    `memory=${info.memory ?? 1024}`,
    'pagefusion="off"',
    'vram=8',
    'cpuexecutioncap=100',
    'hpet="off"',
    'cpu-profile="host"',
    'chipset="piix3"',
    'firmware="BIOS"',
    `cpus=${info.cpus ?? 2}`,
    'pae="off"',
    'longmode="on"',
    'triplefaultreset="off"',
    'apic="on"',
    'x2apic="on"',
    'nested-hw-virt="off"',
    'cpuid-portability-level=0',
    'bootmenu="messageandmenu"',
    'boot1="floppy"',
    'boot2="dvd"',
    'boot3="disk"',
    'boot4="none"',
    'acpi="on"',
    'ioapic="on"',
    'biosapic="apic"',
    'biossystemtimeoffset=0',
    `BIOS NVRAM File="${folder}/${info.name}.nvram"`,
    'rtcuseutc="off"',
    'hwvirtex="on"',
    'nestedpaging="on"',
    'largepages="on"',
    'vtxvpid="on"',
    'vtxux="on"',
    'virtvmsavevmload="on"',
    'iommu="none"',
    'paravirtprovider="default"',
    'effparavirtprovider="kvm"',
    `VMState="${info.state}"`,
    `VMStateChangeTime="${info.changeTime ?? '2026-11-23T10:00:00.000000000'}"`,
    'graphicscontroller="vboxvga"',
    'monitorcount=1',
    'accelerate3d="off"',
    'teleporterenabled="off"',
    'teleporterport=0',
    'teleporteraddress=""',
    'teleporterpassword=""',
    'tracing-enabled="off"',
    'tracing-allow-vm-access="off"',
    'tracing-config=""',
    'autostart-enabled="off"',
    'autostart-delay=0',
    'defaultfrontend=""',
    'vmprocpriority="default"',
    'storagecontrollername0="SATA"',
    'storagecontrollertype0="IntelAhci"',
    'storagecontrollerinstance0="0"',
    'storagecontrollermaxportcount0="30"',
    'storagecontrollerportcount0="1"',
    'storagecontrollerbootable0="on"',
    `"SATA-0-0"="${info.diskPath ?? `${folder}/Snapshots/{2f0e6c1a-88d4-4f7b-9d51-0c9e4b7a3d21}.vdi`}"`,
    '"SATA-ImageUUID-0-0"="2f0e6c1a-88d4-4f7b-9d51-0c9e4b7a3d21"',
    ...nicLines(info),
    'nic2="none"',
    'hidpointing="ps2mouse"',
    'hidkeyboard="ps2kbd"',
    info.uartPath ? 'uart1="0x03f8,4"' : 'uart1="off"',
    ...(info.uartPath ? [`uartmode1="server,${info.uartPath}"`, 'uarttype1="16550A"'] : []),
    'uart2="off"',
    'uart3="off"',
    'uart4="off"',
    'lpt1="off"',
    'lpt2="off"',
    'audio="none"',
    'audio_out="off"',
    'audio_in="off"',
    'clipboard="disabled"',
    'draganddrop="disabled"',
    ...vrdeLines(info),
    'usb="off"',
    'ehci="off"',
    'xhci="off"',
    ...liveVrdeLines(info),
    'recording_enabled="off"',
    'recording_screens=1',
    'GuestMemoryBalloon=0',
  ];
  return `${lines.join('\n')}\n`;
}

/** What showvminfo prints for a registered VM whose settings VirtualBox cannot read. */
export function showvminfoInaccessible(uuid: string): string {
  return `name="<inaccessible>"\nUUID="${uuid}"\n`;
}

/** The first lines of a running VM's VBox.log. */
export function vboxLogHeader(pid: number): string {
  return [
    '00:00:00.000000 VirtualBox VM 7.1.4 r165100 linux.amd64 (Oct 15 2024 13:44:56) release log',
    '00:00:00.000000 Log opened 2026-11-23T10:00:00.123456000Z',
    '00:00:00.000000 Build Type: release',
    '00:00:00.000000 OS Product: Linux',
    '00:00:00.000000 OS Release: 6.8.0-49-generic',
    '00:00:00.000000 Host RAM: 31788MB (31.0GB) total, 24576MB (24.0GB) available',
    '00:00:00.000000 Executable: /usr/lib/virtualbox/VBoxHeadless',
    `00:00:00.000000 Process ID: ${pid}`,
    '00:00:00.000000 Package type: LINUX_64BITS_UBUNTU_24',
    '',
  ].join('\n');
}

/** `list vms`. */
export function listVms(vms: readonly { name: string; uuid: string }[]): string {
  return vms.map((vm) => `"${vm.name}" {${vm.uuid}}\n`).join('');
}

export interface ErrorBlock {
  message: string | readonly string[];
  code: string;
  hresult: string;
  component: string;
  iface: string;
  context: string;
  line: number;
  file: string;
  program?: string;
}

/** A `VBoxManage: error:` block as printed on stderr. */
export function vboxError(block: ErrorBlock): string {
  const program = block.program ?? 'VBoxManage';
  const messages = typeof block.message === 'string' ? [block.message] : block.message;
  return [
    ...messages.map((message) => `${program}: error: ${message}`),
    `${program}: error: Details: code ${block.code} (${block.hresult}), component ${block.component}, interface ${block.iface}, callee nsISupports`,
    `${program}: error: Context: "${block.context}" at line ${block.line} of file ${block.file}`,
    '',
  ].join('\n');
}

/** Any command addressing a VM that is not registered (by UUID or by name). */
export function machineNotFound(machine: string, options: { german?: boolean; file?: string } = {}): string {
  const byUuid = /^[0-9a-f-]{36}$/.test(machine);
  const english = byUuid ? `Could not find a registered machine with UUID {${machine}}` : `Could not find a registered machine named '${machine}'`;
  const german = byUuid ? `Es konnte keine registrierte Maschine mit der UUID {${machine}} gefunden werden` : `Es konnte keine registrierte Maschine namens '${machine}' gefunden werden`;
  return vboxError({
    message: options.german ? german : english,
    code: 'VBOX_E_OBJECT_NOT_FOUND',
    hresult: '0x80bb0001',
    component: 'VirtualBoxWrap',
    iface: 'IVirtualBox',
    context: 'FindMachine(Bstr(a->argv[0]).raw(), machine.asOutParam())',
    line: 2938,
    file: options.file ?? 'VBoxManageInfo.cpp',
  });
}

/** Another session (the GUI, a just-ended VM process) still holds the VM's lock. */
export function lockedForSession(name: string, context = 'LockMachine(a->session, LockType_Write)', file = 'VBoxManageModifyVM.cpp'): string {
  return vboxError({
    message: `The machine '${name}' is already locked for a session (or being unlocked)`,
    code: 'VBOX_E_INVALID_OBJECT_STATE',
    hresult: '0x80bb0007',
    component: 'MachineWrap',
    iface: 'IMachine',
    context,
    line: 640,
    file,
  });
}

export function unregisterWhileLocked(name: string): string {
  return vboxError({
    message: `Cannot unregister the machine '${name}' while it is locked`,
    code: 'VBOX_E_INVALID_OBJECT_STATE',
    hresult: '0x80bb0007',
    component: 'MachineWrap',
    iface: 'IMachine',
    context: 'Unregister(CleanupMode_DetachAllReturnHardDisksOnly, ComSafeArrayAsOutParam(aMedia))',
    line: 176,
    file: 'VBoxManageMisc.cpp',
  });
}

/** Opening an image the user may not read. */
export function accessDenied(path: string): string {
  return vboxError({
    message: [`Could not open the medium '${path}'.`, `VD: error VERR_ACCESS_DENIED opening image file '${path}' (VERR_ACCESS_DENIED)`],
    code: 'NS_ERROR_FAILURE',
    hresult: '0x80004005',
    component: 'MediumWrap',
    iface: 'IMedium',
    context: 'OpenMedium(Bstr(pszFilenameOrUuid).raw(), enmDevType, enmAccessMode, fForceNewUuidOnOpen, pMedium.asOutParam())',
    line: 201,
    file: 'VBoxManageDisk.cpp',
  });
}

export function snapshotNotFound(name: string): string {
  return vboxError({
    message: `Could not find a snapshot named '${name}'`,
    code: 'VBOX_E_OBJECT_NOT_FOUND',
    hresult: '0x80bb0001',
    component: 'MachineWrap',
    iface: 'IMachine',
    context: 'FindSnapshot(Bstr(a->argv[2]).raw(), pSnapshot.asOutParam())',
    line: 1076,
    file: 'VBoxManageSnapshot.cpp',
  });
}

export function invalidVmState(name: string): string {
  return vboxError({
    message: `Cannot restore a snapshot of the running machine '${name}' (Machine state: Running)`,
    code: 'VBOX_E_INVALID_VM_STATE',
    hresult: '0x80bb0002',
    component: 'SessionMachine',
    iface: 'IMachine',
    context: 'RestoreSnapshot(pSnapshot, pProgress.asOutParam())',
    line: 996,
    file: 'VBoxManageSnapshot.cpp',
  });
}

export function createvmOutput(name: string, uuid: string, baseFolder: string): string {
  return `Virtual machine '${name}' is created and registered.\nUUID: ${uuid}\nSettings file: '${baseFolder}/${name}/${name}.vbox'\n`;
}

export function startvmOutput(name: string): string {
  return `Waiting for VM "${name}" to power on...\nVM "${name}" has been successfully started.\n`;
}

export function clonemediumOutput(uuid: string): string {
  return `Clone medium created in format 'VDI'. UUID: ${uuid}\n`;
}

export function createmediumOutput(uuid: string): string {
  return `Medium created. UUID: ${uuid}\n`;
}

export function snapshotList(names: readonly string[]): string {
  if (names.length === 0) return '';
  // Each snapshot is the child of the one before: SnapshotName, SnapshotName-1, SnapshotName-1-1…
  const lines: string[] = [];
  names.forEach((name, depth) => {
    const suffix = '-1'.repeat(depth);
    lines.push(`SnapshotName${suffix}="${name}"`, `SnapshotUUID${suffix}="5e2a9c7d-0000-4000-8000-00000000000${depth}"`);
  });
  const last = names.length - 1;
  lines.push(`CurrentSnapshotName="${names[last]}"`, `CurrentSnapshotUUID="5e2a9c7d-0000-4000-8000-00000000000${last}"`, `CurrentSnapshotNode="SnapshotName${'-1'.repeat(last)}"`);
  return `${lines.join('\n')}\n`;
}

export const NO_SNAPSHOTS = 'This machine does not have any snapshots\n';

export function bridgedifs(interfaces: readonly { name: string; status: 'Up' | 'Down' }[]): string {
  return interfaces
    .map((nic, index) =>
      [
        `Name:            ${nic.name}`,
        `GUID:            00707065-7333-4000-8000-3c7c3f1a2b3${index}`,
        'DHCP:            Disabled',
        `IPAddress:       192.168.1.${20 + index}`,
        'NetworkMask:     255.255.255.0',
        'IPV6Address:     fe80::3e7c:3fff:fe1a:2b3c',
        'IPV6NetworkMaskPrefixLength: 64',
        `HardwareAddress: 3c:7c:3f:1a:2b:3${index}`,
        'MediumType:      Ethernet',
        'Wireless:        No',
        `Status:          ${nic.status}`,
        `VBoxNetworkName: HostInterfaceNetworking-${nic.name}`,
        '',
      ].join('\n'),
    )
    .join('\n');
}

export interface ExtPackInfo {
  name?: string;
  version?: string;
  revision?: string;
  description?: string;
  /** Empty for packs without a VRDE module (the 7.2.6 Extension Pack). */
  vrdeModule?: string;
  cryptoModule?: string;
  usable?: boolean;
  whyUnusable?: string;
}

/** `list extpacks`, as VBoxManageList.cpp prints it (`Pack no.%2zu:` blocks, blank lines between). */
export function listExtpacks(packs: readonly ExtPackInfo[]): string {
  const blocks = packs.map((pack, index) =>
    [
      `Pack no.${String(index).padStart(2)}:   ${pack.name ?? 'Oracle VirtualBox Extension Pack'}`,
      `Version:        ${pack.version ?? '7.1.4'}`,
      `Revision:       ${pack.revision ?? '165100'}`,
      'Edition:        ',
      `Description:    ${pack.description ?? 'Oracle Cloud Infrastructure integration, Host Webcam, VirtualBox RDP, PXE ROM, Disk Encryption, NVMe, full VM encryption.'}`,
      `VRDE Module:    ${pack.vrdeModule ?? 'VBoxVRDP'}`,
      `Crypto Module:  ${pack.cryptoModule ?? (pack.vrdeModule === '' ? '' : 'VBoxPuelCrypto')}`,
      `Usable:         ${pack.usable ?? true}`,
      `Why unusable:   ${pack.whyUnusable ?? ''}`,
      '',
    ].join('\n'),
  );
  return `Extension Packs: ${packs.length}\n${blocks.join('\n')}`;
}

/** `guestproperty get <vm> <name>`: the value, or the line printed before the Guest Additions set one. */
export function guestProperty(value: string | undefined): string {
  return value === undefined ? 'No value set!\n' : `Value: ${value}\n`;
}

/** The failure of `controlvm <vm> natpf1 <rule>` when the VM already has a rule of that name. */
export function natRuleExists(): string {
  return vboxError({
    message: 'A NAT rule of this name already exists',
    code: 'NS_ERROR_INVALID_ARG',
    hresult: '0x80070057',
    component: 'NATEngineWrap',
    iface: 'INATEngine',
    context: 'AddRedirect(Bstr(strName).raw(), proto, Bstr(strHostIp).raw(), RTStrToUInt16(strHostPort), Bstr(strGuestIp).raw(), RTStrToUInt16(strGuestPort))',
    line: 1218,
    file: 'VBoxManageControlVM.cpp',
  });
}

/**
 * VBoxManage in German and French, as VirtualBox 7's translations print it: only the sentences
 * change; the `VBoxManage: error:` prefix (IPRT's RTMsgError), the Details line's status name
 * and hex code, the interface and the Context line's API call are never translated. The
 * sentences are written as VirtualBox's German and French catalogues word them ("Sicherungspunkt"
 * for snapshot; the Details/Context shape as in every real transcript, e.g.
 * jedi4ever/veewee#116 and docker-archive/toolbox#360); no published German or French run of
 * these exact commands was found to copy, so the tests read only the untranslated parts and
 * the same tests run on the English texts above.
 */
export const LOCALIZED = {
  lockedForSession: (name: string, language: 'de' | 'fr') =>
    vboxError({
      message: language === 'de' ? `Die Maschine '${name}' ist bereits für eine Sitzung gesperrt (oder wird gerade entsperrt)` : `La machine '${name}' est déjà verrouillée pour une session (ou en cours de déverrouillage)`,
      code: 'VBOX_E_INVALID_OBJECT_STATE',
      hresult: '0x80bb0007',
      component: 'MachineWrap',
      iface: 'IMachine',
      context: 'LockMachine(a->session, LockType_Write)',
      line: 640,
      file: 'VBoxManageModifyVM.cpp',
    }),
  accessDenied: (path: string, language: 'de' | 'fr') =>
    vboxError({
      message: [
        language === 'de' ? `Das Medium '${path}' konnte nicht geöffnet werden.` : `Impossible d'ouvrir le support '${path}'.`,
        `VD: error VERR_ACCESS_DENIED opening image file '${path}' (VERR_ACCESS_DENIED)`,
      ],
      code: 'NS_ERROR_FAILURE',
      hresult: '0x80004005',
      component: 'MediumWrap',
      iface: 'IMedium',
      context: 'OpenMedium(Bstr(pszFilenameOrUuid).raw(), enmDevType, enmAccessMode, fForceNewUuidOnOpen, pMedium.asOutParam())',
      line: 201,
      file: 'VBoxManageDisk.cpp',
    }),
  invalidVmState: (name: string, language: 'de' | 'fr') =>
    vboxError({
      message: language === 'de' ? `Ein Sicherungspunkt der laufenden Maschine '${name}' kann nicht wiederhergestellt werden (Maschinenzustand: Running)` : `Impossible de restaurer un instantané de la machine en cours d'exécution '${name}' (état de la machine : Running)`,
      code: 'VBOX_E_INVALID_VM_STATE',
      hresult: '0x80bb0002',
      component: 'SessionMachine',
      iface: 'IMachine',
      context: 'RestoreSnapshot(pSnapshot, pProgress.asOutParam())',
      line: 996,
      file: 'VBoxManageSnapshot.cpp',
    }),
  /** A running VM's keyboard when the VM is not running (E_ACCESSDENIED from IKeyboard, as in jedi4ever/veewee#116). */
  consoleNotPoweredUp: (language: 'de' | 'fr') =>
    vboxError({
      message: language === 'de' ? 'Die Konsole ist nicht eingeschaltet' : "La console n'est pas allumée",
      code: 'E_ACCESSDENIED',
      hresult: '0x80070005',
      component: 'Keyboard',
      iface: 'IKeyboard',
      context: 'PutScancodes(ComSafeArrayAsInParam(saScancodes), &codesStored)',
      line: 275,
      file: 'VBoxManageControlVM.cpp',
    }),
  noSnapshots: { de: 'Diese Maschine hat keine Sicherungspunkte\n', fr: "Cette machine n'a aucun instantané\n" },
  guestProperty: { de: (value: string) => `Wert: ${value}\n`, fr: (value: string) => `Valeur : ${value}\n` },
  noGuestProperty: { de: 'Kein Wert gesetzt!\n', fr: 'Aucune valeur définie !\n' },
} as const;

/**
 * `VBoxManage metrics query NAME METRICS`, built with the format strings of VBoxManageMetrics.cpp
 * (handleMetricsQuery, VirtualBox 7.1): the header "Object          Metric ... Values", a rule
 * of 15, 40 and 44 dashes, then `"%-15ls %-40ls "` and the samples joined by ", ", each
 * `"%d.%02d%ls"` for a scaled metric (`CPU/Load/User`, unit `%`) or `"%d %ls"` (`RAM/Usage/Used`,
 * unit `kB`). A metric with no samples gets its name and nothing more. The munin plugins for
 * VirtualBox (munin-monitoring/contrib, plugins/virtualbox) read the same lines with
 * `sed -r 's/^.* ([0-9]+) kB$/…/'` and `([0-9]+\.[0-9]+)%`.
 */
export function metricsQueryOutput(object: string, rows: ReadonlyArray<{ metric: string; samples: ReadonlyArray<number>; unit: '%' | 'kB' }>): string {
  const pad = (text: string, width: number) => text.padEnd(width, ' ');
  const value = (sample: number, unit: '%' | 'kB') => (unit === '%' ? `${Math.trunc(sample)}.${String(Math.round((sample % 1) * 100)).padStart(2, '0')}%` : `${sample} kB`);
  return [
    'Object          Metric                                   Values',
    `${'-'.repeat(15)} ${'-'.repeat(40)} ${'-'.repeat(44)}`,
    ...rows.map((row) => `${pad(object, 15)} ${pad(row.metric, 40)} ${row.samples.map((sample) => value(sample, row.unit)).join(', ')}`),
    '',
  ].join('\n');
}
