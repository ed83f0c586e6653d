import test from 'ava';
import { kvmCheck } from '../../../src/core/doctor/doctor.js';
import type { PluginReport } from '../../../src/core/plugins/plugin-registry.js';

function qemuReport(accel: string): PluginReport {
  return {
    name: 'qemu',
    kind: 'hypervisor',
    displayName: 'QEMU',
    version: '0.0.0',
    apiVersion: '1.0.0',
    status: 'loaded',
    reason: 'QEMU 7.2.22',
    source: 'built-in',
    dir: '/plugins/qemu',
    details: { accel },
  };
}

test('an accessible /dev/kvm on which the QEMU plugin runs vCPUs is reported as hardware acceleration', (t) => {
  t.like(kvmCheck([qemuReport('kvm')]), { check: 'kvm', status: 'ok' });
  t.like(kvmCheck([]), { status: 'ok' }, 'without the QEMU plugin, access to the device is all doctor can go by');
});

test('an accessible /dev/kvm whose vCPUs QEMU cannot run is a warning with the way to fix it', (t) => {
  const check = kvmCheck([qemuReport('tcg (software emulation: slow)')]);
  t.is(check.status, 'warning');
  t.regex(check.detail, /present, but QEMU cannot run a vCPU with it/);
  t.regex(check.fix ?? '', /nested virtualization/);
});
