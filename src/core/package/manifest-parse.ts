import type { z } from 'zod';
import { packageErrors } from './errors.js';
import { describeIssues } from './manifest-schema.js';
import { MANIFEST_MEMBER, RESERVED_MEMBERS } from './package-format.js';

/** Parses workspace.json bytes against `schema`; every problem names its field. `where` names the package or folder. */
export function parseManifest<S extends z.ZodType>(bytes: Buffer, where: string, schema: S): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw packageErrors.manifest(where, `${MANIFEST_MEMBER} is not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error).map((issue) => issue.replace(/\s+/g, ' '));
    throw packageErrors.manifest(where, `${MANIFEST_MEMBER} does not match the schema: ${issues.join('; ')}`, issues);
  }
  const problems = memberProblems(parsed.data as ManifestMembers);
  if (problems.length > 0) throw packageErrors.manifest(where, `${MANIFEST_MEMBER}: ${problems.join('; ')}`, problems);
  return parsed.data;
}

/** The fields of workspace.json that name package members. */
export interface ManifestMembers {
  image: { file: string };
  setup: { scripts: string[] };
}

/** What each payload member of a package is: the one disk image, or a setup script. */
export function payloadMembers(manifest: ManifestMembers): Map<string, 'image' | 'script'> {
  const members = new Map<string, 'image' | 'script'>([[manifest.image.file, 'image']]);
  for (const script of manifest.setup.scripts) members.set(script, 'script');
  return members;
}

/**
 * Member names must be distinct even on case-insensitive file systems (macOS, Windows hosts
 * unpack there too) and must not shadow the package's own files.
 */
function memberProblems(manifest: ManifestMembers): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const claim = (name: string, field: string) => {
    if (RESERVED_MEMBERS.some((reserved) => reserved.toLowerCase() === name.toLowerCase())) {
      problems.push(`${field}: "${name}" is a name the package itself uses`);
      return;
    }
    const earlier = seen.get(name.toLowerCase());
    if (earlier) problems.push(`${field}: "${name}" is already used by ${earlier}`);
    else seen.set(name.toLowerCase(), field);
  };
  claim(manifest.image.file, 'image.file');
  manifest.setup.scripts.forEach((script, index) => claim(script, `setup.scripts.${index}`));
  return problems;
}
