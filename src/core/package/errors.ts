import { TwinboxError } from '../../plugin-api/index.js';
import type { TarProblem } from './tar/tar-error.js';

/**
 * The errors of packing, installing and uninstalling, with their stable codes and exit codes:
 * a bad package (archive, manifest, sums, signature) is exit 3 (verification); a wrong
 * command line or a conflict the user resolves with a flag is exit 2 (usage); a host that
 * cannot take the package (disk full, plugin missing) is exit 1.
 */
export const packageErrors = {
  archive(file: string, problem: TarProblem | 'member-order' | 'unexpected-member' | 'missing-member' | 'compression', message: string): TwinboxError {
    return new TwinboxError('package-archive', `${file}: ${message}`, {
      exit: 'verification',
      hint: 'the package is damaged or was not made by `twinbox pack`; get a fresh copy or pack it again',
      details: { file, problem },
    });
  },
  manifest(file: string, message: string, issues?: string[]): TwinboxError {
    return new TwinboxError('package-manifest', `${file}: ${message}`, {
      exit: 'verification',
      hint: 'fix workspace.json (schema/workspace.schema.json describes it) and pack again',
      details: { file, ...(issues ? { issues } : {}) },
    });
  },
  checksum(file: string, message: string): TwinboxError {
    return new TwinboxError('package-checksum', `${file}: ${message}`, {
      exit: 'verification',
      hint: 'the package was altered or damaged in transit; get a fresh copy',
      details: { file },
    });
  },
  signature(file: string, message: string, hint: string): TwinboxError {
    return new TwinboxError('package-signature', `${file}: ${message}`, { exit: 'verification', hint, details: { file } });
  },
  image(file: string, message: string): TwinboxError {
    return new TwinboxError('package-image', `${file}: ${message}`, {
      exit: 'verification',
      hint: 'set image.format in workspace.json to the image\'s real format and pack again',
      details: { file },
    });
  },
  notFound(file: string): TwinboxError {
    return new TwinboxError('package-not-found', `no package file at ${file}`, { exit: 'usage', hint: 'check the path of the .twbx file' });
  },
  diskFull(dir: string, message: string): TwinboxError {
    return new TwinboxError('disk-full', `not enough free disk space in ${dir}: ${message}`, {
      hint: 'free space on that disk (installs: or point TWINBOX_HOME at a bigger one) and try again',
      details: { dir },
    });
  },
  cancelled(what: string): TwinboxError {
    return new TwinboxError('cancelled', `${what} was interrupted`, { hint: 'nothing was left behind; run it again' });
  },
};

/** Disk full or over quota, as the file system reports it. */
export function isNoSpace(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}
