#!/usr/bin/env bash
# Builds the real Debian guest of twinbox's end-to-end tests: Debian 12 from Debian's own
# packages (mmdebstrap), booted by systemd, with the packaged qemu-guest-agent started as its
# service, and real packages that install real desktop entries and terminal apps (htop, vim-tiny,
# bc). One BIOS-bootable disk: a FAT boot partition with syslinux, the cloud kernel and its
# initramfs, and an ext4 root filled from a folder (no mount, no loop device); qcow2, compressed.
#
#   scripts/build-debian-guest.sh          build into .cache/debian-guest/ unless up to date
#   TWINBOX_DEBIAN_GUEST_CACHE=DIR         build into DIR instead
#   TWINBOX_GUEST_REBUILD=1                build even when up to date
#   TWINBOX_GUEST_KERNEL=generic           Debian's generic kernel (linux-image-amd64) instead
#                                          of the cloud one, into .cache/debian-guest-generic/
#
# Shared folders: Debian builds linux-image-cloud-amd64 without 9p (CONFIG_NET_9P is not set),
# so the default guest cannot mount the 9p exports twinbox gives a QEMU VM; the generic kernel
# has 9p, 9pnet and 9pnet_virtio as modules, which udev and mount load on demand. The cloud
# kernel stays the default: it boots about twice as fast and keeps the image small.
#
# Needs (host, amd64, as root): mmdebstrap e2fsprogs dosfstools mtools syslinux syslinux-common
# fdisk qemu-utils, and the apt sources of the host (mmdebstrap uses them). The last line printed
# is the path of the qcow2 image; the lines before say what was built and how long it took.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
recipe=$here/debian-guest
flavour=${TWINBOX_GUEST_KERNEL:-cloud}
case "$flavour" in
  cloud) default_cache=$repo/.cache/debian-guest ;;
  generic) default_cache=$repo/.cache/debian-guest-generic ;;
  *) echo "build-debian-guest: error: TWINBOX_GUEST_KERNEL must be cloud or generic, not $flavour" >&2; exit 2 ;;
esac
cache=${TWINBOX_DEBIAN_GUEST_CACHE:-$default_cache}
image=$cache/debian-guest.qcow2

say() { echo "build-debian-guest: $*" >&2; }
die() { say "error: $*"; exit 1; }

[ "$(uname -m)" = x86_64 ] || die "only x86_64 hosts are supported (syslinux boots BIOS x86 guests)"

mkdir -p "$cache"
# Test files may ask for the guest at once: one builds, the rest wait.
exec 9>"$cache/.lock"
flock 9
rm -rf "$cache"/.work.*

stamp=$( (echo "$flavour"; cat "${BASH_SOURCE[0]}" $(find "$recipe" -type f | LC_ALL=C sort)) | sha256sum | cut -c1-16)
if [ "${TWINBOX_GUEST_REBUILD:-0}" != 1 ] && [ -f "$image" ] && [ "$(cat "$cache/stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "$image"
  exit 0
fi

[ "$(id -u)" = 0 ] || die "building the Debian guest needs root (mmdebstrap --mode=root, file ownership in the root filesystem)"
missing=()
for tool in mmdebstrap mkfs.ext4 mkfs.vfat mcopy syslinux sfdisk qemu-img; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
mbr=$(ls /usr/lib/syslinux/mbr/mbr.bin /usr/lib/SYSLINUX/mbr.bin 2>/dev/null | head -n1 || true)
[ -n "$mbr" ] || missing+=(mbr.bin)
if [ ${#missing[@]} -gt 0 ]; then
  die "missing ${missing[*]}: apt-get install -y --no-install-recommends mmdebstrap e2fsprogs dosfstools mtools syslinux syslinux-common fdisk qemu-utils"
fi

started=$(date +%s)
work=$(mktemp -d "$cache/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root

# --- the root filesystem: Debian's packages, no recommends, no manuals or translations ------
packages=$(grep -v '^#' "$recipe/packages" | tr -s ' \n' ',' | sed 's/^,//; s/,$//')
[ "$flavour" = generic ] && packages=${packages//linux-image-cloud-amd64/linux-image-amd64}
say "mmdebstrap bookworm with $packages"
mmdebstrap --mode=root --variant=minbase --include="$packages" \
  --aptopt='Apt::Install-Recommends "false"' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  --customize-hook='chroot "$1" systemctl mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer e2scrub_reap.service' \
  --customize-hook='chroot "$1" passwd --lock root' \
  --customize-hook='rm -f "$1"/etc/machine-id "$1"/var/lib/dbus/machine-id && : > "$1"/etc/machine-id' \
  --customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*' \
  bookworm "$root" >&2 || die "mmdebstrap failed"
cp -a "$recipe/rootfs/." "$root/"

kernel=$(ls "$root"/boot/vmlinuz-* | head -n1)
initrd=$(ls "$root"/boot/initrd.img-* | head -n1)
[ -f "$kernel" ] && [ -f "$initrd" ] || die "the kernel package left no vmlinuz or initrd.img in /boot"

# --- the disk: MBR with syslinux, p1 FAT /boot (64 MiB), p2 ext4 / ---------------------------
boot_mib=64
root_mib=$(( ($(du -sm "$root" | cut -f1) * 13 / 10) + 256 ))
disk=$work/disk.img
truncate -s $(( (1 + boot_mib + root_mib) * 1024 * 1024 )) "$disk"
printf 'label: dos\nstart=2048, size=%d, type=c, bootable\nstart=%d, type=83\n' $((boot_mib * 2048)) $(( (1 + boot_mib) * 2048 )) \
  | sfdisk --quiet "$disk"

mkfs.vfat -C -n TWINBOOT "$work/boot.img" $((boot_mib * 1024)) >/dev/null
mcopy -i "$work/boot.img" "$kernel" ::VMLINUZ
mcopy -i "$work/boot.img" "$initrd" ::INITRD
mcopy -i "$work/boot.img" "$recipe/syslinux.cfg" ::SYSLINUX.CFG
dd if="$work/boot.img" of="$disk" bs=1M seek=1 conv=notrunc status=none
syslinux --install --offset $((1024 * 1024)) "$disk"
dd if="$mbr" of="$disk" bs=440 count=1 conv=notrunc status=none

mkfs.ext4 -q -L twinbox-root -d "$root" "$work/root.img" "${root_mib}M" >&2
dd if="$work/root.img" of="$disk" bs=1M seek=$((1 + boot_mib)) conv=notrunc,sparse status=none

qemu-img convert -c -O qcow2 "$disk" "$work/debian-guest.qcow2"
mv -f "$work/debian-guest.qcow2" "$image"
echo "$stamp" > "$cache/stamp"
say "$(basename "$kernel"), root filesystem $(du -sm "$root" | cut -f1) MiB, image $(du -m "$image" | cut -f1) MiB, built in $(( $(date +%s) - started )) s"
echo "$image"
