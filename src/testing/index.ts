/**
 * `twinbox/testing`: what a plugin author needs to prove a plugin — the conformance suites,
 * a twinbox core in a throw-away home that loads plugins as the CLI does, a running VM on the
 * fake hypervisor, a scriptable guest agent and a scripted command runner.
 */
import 'reflect-metadata';

export { hypervisorConformance, type ConformanceStage, type ConformanceTestContext, type HypervisorConformanceOptions } from './hypervisor-conformance.js';
export { guestAgentConformance, type GuestAgentConformanceOptions } from './guest-agent-conformance.js';
export { guestCustomizationConformance, type GuestCustomizationConformanceOptions } from './guest-customization-conformance.js';
export { openTestCore, type TestCore, type TestCoreOptions } from './test-core.js';
export { startFakeVm, type FakeVmOptions, type RunningFakeVm } from './fake-vm.js';
export * from './qga-peer.js';
export * from './transcript-runner.js';
export * from './transcript-guest.js';
export { simulatedHypervisor, makeSimulatedImage } from './simulated-hypervisor.js';
export type { GuestFile } from '../core/demo/fake-guest-image.js';
