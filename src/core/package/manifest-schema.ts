import { z } from 'zod';
import { DISK_FORMATS, NAME_PATTERN } from '../../plugin-api/index.js';
import { isPackagePath, isPackageVersion, MAX_MANIFEST_BYTES } from './manifest-rules.js';
import { parseUrlRule, UrlRuleProblem } from '../redirection/url-rule.js';

/**
 * `workspace.json`, the settings an administrator packs with the guest image: what MED-V's
 * workspace packager covered, in one validated file. `twinbox pack` writes the JSON Schema
 * generated from this next to the examples so editors can check the file as it is written.
 */

const name = z.string().regex(NAME_PATTERN, 'use 1–40 lowercase letters, digits and dashes, starting with a letter');
const semver = z
  .string()
  .regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/, 'use a semantic version like 1.2.0')
  // What the pattern lets through but is no version to compare (an empty part, "1.0.0-a..b"; a number past 2^53).
  .refine(isPackageVersion, 'use a semantic version like 1.2.0');
/** A path inside the package: relative, forward slashes, no `..`. */
const packagePath = z
  .string()
  .min(1)
  .max(255)
  .refine(isPackagePath, 'must be a relative path inside the package');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

/** MED-V's computer-name mask: `#` a random digit, trailing `*` random characters, %username%, %hostname%, `[n]` keeps n characters. */
export const computerNameMask = z
  .string()
  .min(1)
  .max(64)
  .regex(/^(?:[A-Za-z0-9#-]|%username%|%hostname%|\[\d{1,2}\])*\*?$/, 'use letters, digits, dashes, #, %username%, %hostname%, [n] and a trailing *');

/** A URL redirection rule, MED-V syntax: http(s), `*` wildcard (src/core/redirection/url-rule.ts reads it). */
export const urlRule = z.string().superRefine((text, context) => {
  try {
    parseUrlRule(text);
  } catch (error) {
    if (!(error instanceof UrlRuleProblem)) throw error;
    context.addIssue({ code: 'custom', message: error.message });
  }
});

/**
 * A host folder the guest sees under another path. On a hypervisor that shares folders itself
 * (QEMU: 9p) one with a POSIX guest path is exported and mounted there at every start; a
 * `\\\\tsclient\\NAME` one is an RDP drive; any other is the package's business.
 */
export const sharedFolder = z.object({
  /** Absolute, or `~/…` for a folder in the user's home. */
  host: z
    .string()
    .min(1)
    .max(1024)
    .refine((path) => (path.startsWith('/') || path.startsWith('~/')) && !path.split('/').includes('..'), 'must be an absolute path or start with ~/, without ..'),
  /** Where the guest sees it: `/mnt/share`, `Z:\\`, or `\\\\server\\share`. */
  guest: z
    .string()
    .min(1)
    .max(1024)
    .refine((path) => /^(?:\/|[A-Za-z]:\\|\\\\[^\\]+\\[^\\]+)/.test(path) && !path.split(/[\\/]/).includes('..'), 'must be an absolute guest path (/mnt/share, Z:\\ or \\\\server\\share), without ..'),
  /** The guest may read the folder but not write to it (a 9p export with readonly=on, mounted ro). */
  readOnly: z.boolean().optional(),
});

export const appRule = z.object({
  /** Matches the app id or name; `*` wildcard. */
  match: z.string().min(1),
});

export const declaredApp = z.object({
  id: name,
  name: z.string().min(1).max(80),
  kind: z.enum(['command', 'terminal', 'gui']),
  /** Program and arguments in the guest. */
  command: z.array(z.string().min(1)).min(1),
  categories: z.array(z.string()).optional(),
});

/**
 * The guest offers RDP: twinbox opens its GUI apps as RemoteApp windows on the user's desktop
 * (FreeRDP on the host), signing in as `user` with a one-time password it sets through the
 * guest agent for each launch. The account is the image author's to create.
 */
export const rdpSchema = z
  .object({
    /** The guest's RDP port; the hypervisor forwards it (QEMU/VirtualBox NAT) or it is reached directly (Hyper-V). */
    port: z.number().int().min(1).max(65535).default(3389),
    /** FreeRDP reads a backslash, `@` or `,` in a user name as a domain or list separator, so they are kept out. */
    user: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/, 'use 1–64 letters, digits, _, . and -, starting with a letter, digit or _').default('twinbox'),
    domain: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,254}$/, 'use letters, digits, . and -').optional(),
    /** Open GUI apps as RemoteApp windows (false: the guest offers RDP, but not RemoteApp). */
    remoteApp: z.boolean().default(true),
  })
  .strict();

export const setupSchema = z.object({
  mode: z.enum(['attended', 'unattended', 'silent']).default('unattended'),
  computerName: computerNameMask.default('TWINBOX*'),
  user: z
    .object({
      name: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'use a POSIX user name'),
      addToAdmins: z.boolean().default(false),
    })
    .optional(),
  copyTimeZone: z.boolean().default(true),
  copyLocale: z.boolean().default(false),
  /** Scripts in the package, run in the guest in this order. */
  scripts: z.array(packagePath).default([]),
  maxRetries: z.number().int().min(0).max(10).default(3),
  timeoutMinutes: z.number().int().min(1).max(24 * 60).default(45),
  retryTimeoutIncrementMinutes: z.number().int().min(0).max(24 * 60).default(15),
  messages: z
    .object({
      start: z.string().max(500).optional(),
      failure: z.string().max(500).optional(),
      helpUrl: z.string().url().optional(),
    })
    .default({}),
});

export const workspaceManifestSchema = z
  .object({
    $schema: z.string().optional(),
    name,
    version: semver,
    description: z.string().max(500).default(''),
    image: z.object({
      file: packagePath,
      format: z.enum(DISK_FORMATS),
      sha256,
      /** Guest OS hint: linux, windows… */
      os: z.string().max(40).default('linux'),
    }),
    vm: z
      .object({
        memoryMiB: z.number().int().min(64).max(1024 * 1024).default(1024),
        cpus: z.number().int().min(1).max(256).default(1),
        network: z.enum(['nat', 'bridged', 'none']).default('nat'),
        /**
         * A screen for graphical apps, the hypervisor's own way: QEMU a VGA card shown by VNC on an
         * owner-only unix socket, VirtualBox its VRDE server on loopback, Hyper-V vmconnect.
         * "vnc" and "console" mean the same.
         */
        display: z.enum(['none', 'vnc', 'console']).default('none'),
      })
      .default({ memoryMiB: 1024, cpus: 1, network: 'nat', display: 'none' }),
    guestAgent: z
      .object({
        plugin: name.default('qga'),
        channel: z.string().min(1).max(100).default('org.qemu.guest_agent.0'),
      })
      .default({ plugin: 'qga', channel: 'org.qemu.guest_agent.0' }),
    hypervisors: z
      .object({
        /** Empty: any usable hypervisor. */
        allowed: z.array(name).default([]),
        /** Tried first, in order. */
        preferred: z.array(name).default([]),
      })
      .default({ allowed: [], preferred: [] }),
    setup: setupSchema.default(setupSchema.parse({})),
    startup: z.enum(['at-logon', 'at-first-use', 'user-decides']).default('at-first-use'),
    closeAction: z.enum(['suspend', 'shutdown', 'power-off']).default('suspend'),
    publishing: z
      .object({
        autoDiscover: z.boolean().default(true),
        include: z.array(appRule.shape.match).default([]),
        exclude: z.array(appRule.shape.match).default([]),
        apps: z.array(declaredApp).default([]),
      })
      .default({ autoDiscover: true, include: [], exclude: [], apps: [] }),
    redirection: z
      .object({
        urls: z.array(urlRule).default([]),
        /** File extension (without dot) → app id in the guest. */
        fileTypes: z.record(z.string().regex(/^[A-Za-z0-9]{1,16}$/, 'use a file extension without the dot: letters and digits'), name).default({}),
        /** The guest program that opens a redirected web address (the address is its last argument); default: the guest OS's opener. */
        browser: z.array(z.string().min(1).max(4096)).min(1).max(32).optional(),
      })
      .default({ urls: [], fileTypes: {} }),
    /** Host folders the guest sees, and where: how host paths are handed to guest apps. */
    sharedFolders: z.array(sharedFolder).max(32).default([]),
    rdp: rdpSchema.optional(),
  })
  .strict();

export type WorkspaceManifest = z.infer<typeof workspaceManifestSchema>;
export type WorkspaceManifestInput = z.input<typeof workspaceManifestSchema>;

/** The largest workspace.json twinbox reads: anything bigger is refused before parsing. */
export { MAX_MANIFEST_BYTES };

/** Every schema problem as "field: message", so the one-line error names the field. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`);
}

/** The JSON Schema shipped for administrators' editors. */
export function manifestJsonSchema(): unknown {
  return z.toJSONSchema(workspaceManifestSchema, { io: 'input' });
}

/**
 * workspace.json as the administrator writes it in the source folder: image.sha256 may be
 * omitted or "auto", and `twinbox pack` fills it in. The packaged file always carries it.
 */
export const sourceManifestSchema = workspaceManifestSchema.extend({
  image: workspaceManifestSchema.shape.image.extend({
    sha256: z.union([sha256, z.literal('auto')]).optional(),
  }),
});

export type SourceManifest = z.infer<typeof sourceManifestSchema>;

/** The JSON Schema of the source folder's workspace.json (schema/workspace.schema.json). */
export function sourceManifestJsonSchema(): unknown {
  return z.toJSONSchema(sourceManifestSchema, { io: 'input' });
}
