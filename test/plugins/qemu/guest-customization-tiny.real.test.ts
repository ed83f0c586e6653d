// Setup's guest customisation against the busybox tiny guest on the real QEMU (the same suite runs against the fake in test/testing and Debian beside this file).
import test from 'ava';
import { guestOnQemu } from './helpers/guest-on-qemu.js';
import { qemuMissing } from './helpers/real-qemu.js';
import { tinyGuestImage } from './helpers/tiny-guest.js';

guestOnQemu(test, 'the busybox tiny guest on QEMU', qemuMissing(), tinyGuestImage, 256);
