/**
 * twinbox's plugin API: the only module a plugin imports (`twinbox/plugin-api`).
 */
export * from './hypervisor.js';
export * from './guest-agent.js';
export * from './errors.js';
export * from './command-runner.js';
export * from './context.js';
export * from './manifest.js';
export * from './console-tail.js';
export * from './versions.js';
export * from './atomic-write.js';
export * from './file-lock.js';
export * from './path-exists.js';
export * from './process-metrics.js';
export * from './guards.js';
export * from './define-hypervisor.js';
