#!/usr/bin/env bash
# Builds the tiny real guest used by twinbox's tests and demo: a Debian cloud kernel, static
# busybox and the real qemu-ga in an initramfs, on a BIOS-bootable FAT disk (syslinux),
# converted to qcow2. Built from Debian packages only, without mounting anything.
#
#   scripts/build-tiny-guest.sh            build into .cache/tiny-guest/ unless up to date
#   TWINBOX_GUEST_CACHE=DIR                build into DIR instead
#   TWINBOX_GUEST_REBUILD=1                build even when up to date
#   TWINBOX_GUEST_KERNEL=generic           Debian's generic kernel (linux-image-amd64) instead
#                                          of the cloud one, into .cache/tiny-guest-generic/
#
# Kernels: the cloud kernel (the default) boots about twice as fast, but Debian builds it
# without 9p (CONFIG_NET_9P is not set in its config-* file), so a guest on it cannot mount a
# shared folder. The generic kernel has 9p, 9pnet and 9pnet_virtio as modules; they are listed
# in modules-9p.order and loaded when the kernel has them (modules of one kernel package
# cannot be loaded into another: their vermagic and symbol versions differ).
#
# Needs (host, amd64): qemu-utils busybox-static qemu-guest-agent syslinux mtools dosfstools,
# and apt lists for the kernel download (apt-get update). The last line printed is the path
# of the qcow2 image.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
guest_src=$here/guest
flavour=${TWINBOX_GUEST_KERNEL:-cloud}
case "$flavour" in
  cloud) kernel_meta=linux-image-cloud-amd64; kernel_glob='linux-image-*-cloud-amd64_*.deb'; default_cache=$repo/.cache/tiny-guest ;;
  generic) kernel_meta=linux-image-amd64; kernel_glob='linux-image-[0-9]*-amd64_*.deb'; default_cache=$repo/.cache/tiny-guest-generic ;;
  *) echo "build-tiny-guest: error: TWINBOX_GUEST_KERNEL must be cloud or generic, not $flavour" >&2; exit 2 ;;
esac
cache=${TWINBOX_GUEST_CACHE:-$default_cache}
image=$cache/tiny-guest.qcow2
kernel_out=$cache/vmlinuz
initrd_out=$cache/initrd.gz

say() { echo "build-tiny-guest: $*" >&2; }
die() { say "error: $*"; exit 1; }

[ "$(uname -m)" = x86_64 ] || die "only x86_64 hosts are supported (syslinux boots BIOS x86 guests)"

mkdir -p "$cache"
# Test files run in parallel and may all ask for the guest at once: one builds, the rest wait.
exec 9>"$cache/.lock"
flock 9
# Half-built folders of a build that was killed.
rm -rf "$cache"/.work.*

# Rebuild when the recipe changed, not only when the output is missing.
stamp=$( (echo "$flavour"; cat "${BASH_SOURCE[0]}" "$guest_src/syslinux.cfg" "$guest_src/modules.order" "$guest_src/modules-9p.order" \
  $(find "$guest_src/rootfs" -type f | LC_ALL=C sort)) | sha256sum | cut -c1-16)
if [ "${TWINBOX_GUEST_REBUILD:-0}" != 1 ] && [ -f "$image" ] && [ -f "$kernel_out" ] && [ -f "$initrd_out" ] \
  && [ "$(cat "$cache/stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "$image"
  exit 0
fi

missing=()
for tool in qemu-img mkfs.vfat syslinux mcopy dpkg-deb apt-get apt-cache ldd gzip; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
busybox_bin=$(command -v busybox || true)
qemu_ga_bin=$(command -v qemu-ga || ls /usr/sbin/qemu-ga /usr/bin/qemu-ga 2>/dev/null | head -n1 || true)
[ -n "$busybox_bin" ] || missing+=(busybox)
[ -n "$qemu_ga_bin" ] || missing+=(qemu-ga)
if [ ${#missing[@]} -gt 0 ]; then
  die "missing ${missing[*]}: apt-get install -y --no-install-recommends qemu-utils busybox-static qemu-guest-agent syslinux mtools dosfstools"
fi
if ldd "$busybox_bin" >/dev/null 2>&1; then
  die "$busybox_bin is dynamically linked: install busybox-static"
fi

# --- kernel: the versioned package the meta-package currently depends on -------------------
debs=$cache/debs
mkdir -p "$debs"
resolve_kernel() {
  apt-cache depends "$kernel_meta" 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }' || true
}
kernel_pkg=$(resolve_kernel)
# A fresh machine whose packages were preinstalled may have no apt lists yet.
if [ -z "$kernel_pkg" ] && [ "$(id -u)" = 0 ] && ! ls "$debs"/$kernel_glob >/dev/null 2>&1; then
  say "apt lists do not know $kernel_meta: running apt-get update"
  apt-get update -qq >&2 || true
  kernel_pkg=$(resolve_kernel)
fi
if [ -n "$kernel_pkg" ]; then
  if ! ls "$debs/${kernel_pkg}_"*.deb >/dev/null 2>&1; then
    say "downloading $kernel_pkg"
    # apt drops root to _apt for downloads; the folder must be writable by it (or apt warns
    # and falls back to root).
    if id _apt >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then chown _apt "$debs"; fi
    (cd "$debs" && apt-get download -q "$kernel_pkg" >&2) \
      || (cd "$debs" && apt-get download -q -o APT::Sandbox::User=root "$kernel_pkg" >&2) \
      || die "apt-get download $kernel_pkg failed"
  fi
  kernel_deb=$(ls -t "$debs/${kernel_pkg}_"*.deb | head -n1)
else
  # No apt lists (or no mirror): a kernel downloaded earlier still does.
  kernel_deb=$(ls -t "$debs"/$kernel_glob 2>/dev/null | head -n1 || true)
  [ -n "$kernel_deb" ] || die "cannot resolve $kernel_meta: run apt-get update"
fi
say "kernel package $(basename "$kernel_deb")"

work=$(mktemp -d "$cache/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$kernel_deb" "$work/kernel"
vmlinuz=$(ls "$work"/kernel/boot/vmlinuz-* | head -n1)
moddir=$(ls -d "$work"/kernel/lib/modules/* | head -n1)

# --- initramfs -----------------------------------------------------------------------------
root=$work/root
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib/modules,proc,sys,dev,run,tmp,root,mnt,var/log}
chmod 1777 "$root/tmp"
cp "$busybox_bin" "$root/bin/busybox"
# Applet links for everything busybox offers; files from rootfs/ (hostname…) replace theirs.
"$busybox_bin" --list-full | while read -r applet; do
  [ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done

cp "$qemu_ga_bin" "$root/usr/bin/qemu-ga"
ldd "$qemu_ga_bin" | awk '/=> \// { print $3 } /^[[:space:]]*\// { print $1 }' | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done

loaded=" "
# add_modules ORDER-FILE required|optional: copies each module of the file into the initramfs
# and appends it to /etc/modules.order (the order init loads them in). An optional module the
# kernel does not have is left out, with every later one of the same file.
: > "$work/modules.order"
add_modules() {
  local list=$1 need=$2 module file deps dep
  while read -r module; do
    [ -n "$module" ] || continue
    file=$(find "$moddir" -name "$module.ko" -o -name "$module.ko.xz" -o -name "$module.ko.zst" | head -n1)
    if [ -z "$file" ]; then
      [ "$need" = optional ] || die "module $module not found in $(basename "$kernel_deb")"
      say "$(basename "$kernel_deb") has no $module module: $(basename "$list") left out"
      return 0
    fi
    case "$file" in
      *.xz) xz -dc "$file" > "$root/lib/modules/$module.ko" ;;
      *.zst) zstd -qdc "$file" > "$root/lib/modules/$module.ko" ;;
      *) cp "$file" "$root/lib/modules/$module.ko" ;;
    esac
    # busybox insmod does not resolve dependencies: the order file must list them first.
    deps=$(tr '\0' '\n' < "$root/lib/modules/$module.ko" | sed -n 's/^depends=//p' | head -n1 | tr ',' ' ')
    for dep in $deps; do
      case "$loaded" in *" $dep "*) ;; *) die "module $module needs $dep before it in $(basename "$list")" ;; esac
    done
    loaded="$loaded$module "
    echo "$module" >> "$work/modules.order"
  done < "$list"
}
add_modules "$guest_src/modules.order" required
# Shared folders (9p over virtio): only kernels that have them (the generic one).
add_modules "$guest_src/modules-9p.order" optional
for f in $(cd "$guest_src/rootfs" && find . -type f); do
  mkdir -p "$root/$(dirname "$f")"
  rm -f "$root/$f"
  cp "$guest_src/rootfs/$f" "$root/$f"
done
cp "$work/modules.order" "$root/etc/modules.order"
chmod 0755 "$root/init" "$root/bin/hostname" "$root/sbin/shutdown" "$root/sbin/run-qemu-ga" \
  "$root/sbin/twinbox-state" "$root/usr/sbin/chpasswd" "$root/usr/bin/hello" "$root/etc/acpi/PWRF/00000080"
chmod 0600 "$root/etc/shadow"
chmod 0700 "$root/root"

(cd "$root" && find . | LC_ALL=C sort | "$busybox_bin" cpio -o -H newc -R 0:0 2>/dev/null) | gzip -9 > "$work/initrd.gz"

# --- bootable disk: FAT + syslinux, filled with mtools (no mount, no loop device) -----------
disk=$work/disk.img
mkfs.vfat -C -n TWINBOX "$disk" 32768 >/dev/null
syslinux --install "$disk"
mcopy -i "$disk" "$vmlinuz" ::VMLINUZ
mcopy -i "$disk" "$work/initrd.gz" ::INITRD.GZ
mcopy -i "$disk" "$guest_src/syslinux.cfg" ::SYSLINUX.CFG
qemu-img convert -O qcow2 "$disk" "$work/tiny-guest.qcow2"

mv -f "$vmlinuz" "$kernel_out.tmp" && mv -f "$kernel_out.tmp" "$kernel_out"
mv -f "$work/initrd.gz" "$initrd_out"
mv -f "$work/tiny-guest.qcow2" "$image"
echo "$stamp" > "$cache/stamp"
say "kernel $(basename "$moddir") ($flavour), 9p $(case "$loaded" in *" 9p "*) echo yes ;; *) echo no ;; esac), initrd $(du -k "$initrd_out" | cut -f1) KiB, image $(du -k "$image" | cut -f1) KiB"
echo "$image"
