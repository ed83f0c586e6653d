#!/bin/sh
# Builds hello-guest.img, the example's disk image: a tar archive of guest/, which the fake
# hypervisor unpacks as the guest's root filesystem. Built, not committed: no binary in git.
# Usage: examples/hello/build-image.sh [OUTPUT]   (default: examples/hello/hello-guest.img)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
output=${1:-"$here/hello-guest.img"}
# Reproducible with GNU tar (same bytes, same image.sha256 every build); plain tar elsewhere.
if tar --version 2>/dev/null | grep -q 'GNU tar'; then
  tar --format=ustar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf "$output" -C "$here/guest" .
else
  tar --format ustar -cf "$output" -C "$here/guest" .
fi
echo "built $output"
