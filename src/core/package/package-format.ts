/**
 * The workspace package (`.twbx`): one tar archive, gzip-compressed or not, whose members
 * come in this order — workspace.json, SHA256SUMS, the optional SIGNATURE, then the disk
 * image and the setup scripts. Metadata first lets an install check everything cheap (schema,
 * signature, plugins, disk space) before it writes a byte, and hash the image as it unpacks it.
 */
export const MANIFEST_MEMBER = 'workspace.json';
export const SUMS_MEMBER = 'SHA256SUMS';
export const SIGNATURE_MEMBER = 'SIGNATURE';
export const RESERVED_MEMBERS: readonly string[] = [MANIFEST_MEMBER, SUMS_MEMBER, SIGNATURE_MEMBER];

export const PACKAGE_EXTENSION = '.twbx';

/** SHA256SUMS lists a handful of files; anything bigger is not ours. */
export const MAX_SUMS_BYTES = 64 * 1024;
/** A base64 ed25519 signature is 88 characters. */
export const MAX_SIGNATURE_BYTES = 1024;
