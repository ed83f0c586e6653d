// Setup's guest customisation against Debian 12 with systemd on the real QEMU, when the image can be built here (root and mmdebstrap).
import test from 'ava';
import { debianGuestImage, debianGuestMissing } from './helpers/debian-guest.js';
import { guestOnQemu } from './helpers/guest-on-qemu.js';
import { qemuMissing } from './helpers/real-qemu.js';

guestOnQemu(test, 'Debian 12 with systemd on QEMU', qemuMissing() ?? debianGuestMissing(), () => debianGuestImage(), 512);
