/** Workspace packages: what the commands and the setup pipeline use. */
export { packWorkspace, type PackOptions, type PackProgress, type PackResult } from './pack.js';
export { generateKeyPairFiles, type KeyPairFiles } from './keygen.js';
export { verifyPackage } from './verify.js';
export { readPackage, type PackageMetadata } from './package-reader.js';
export { installPackage, type InstallOptions, type InstallProgress, type InstallResult } from './install/install-package.js';
export type { InstallPlan } from './install/install-plan.js';
export { uninstallWorkspace } from './uninstall.js';
export type { UninstallOptions, UninstallResult } from './uninstall-result.js';
export { completeUpgrade } from './complete-upgrade.js';
export { loadTrustPolicy, type TrustPolicy } from './trust-policy.js';
export type { SignatureCheck } from './signature-check.js';
