/** What every framed command prints: the script's value, or the error it threw. */
export type Envelope =
  | { ok: true; value: unknown }
  | { ok: false; error: string; category: string; errorId: string };

/**
 * Runs a script (one line of statements) so that its result is one line of compressed JSON.
 * Errors become terminating and are caught into an error envelope with their category and
 * error id, which do not depend on the Windows display language.
 */
export function wrapScript(script: string): string {
  return [
    'try {',
    "$ErrorActionPreference = 'Stop';",
    `$twinboxResult = & { ${script} };`,
    '[pscustomobject]@{ ok = $true; value = $twinboxResult } | ConvertTo-Json -Depth 4 -Compress',
    '} catch {',
    '[pscustomobject]@{ ok = $false; error = $_.Exception.Message; category = $_.CategoryInfo.Category.ToString(); errorId = [string]$_.FullyQualifiedErrorId } | ConvertTo-Json -Depth 2 -Compress',
    '}',
  ].join(' ');
}

export function beginMarker(id: string): string {
  return `<<twinbox:begin:${id}>>`;
}

export function endMarker(id: string): string {
  return `<<twinbox:end:${id}>>`;
}

/** The lines written to PowerShell's stdin for one command: echo, command, echo. */
export function framedLines(id: string, script: string): string {
  // Separate lines, so the end marker still prints when the command line itself cannot be parsed.
  return `Write-Output '${beginMarker(id)}'\n${wrapScript(script)}\nWrite-Output '${endMarker(id)}'\n`;
}

function isEnvelope(value: unknown): value is Envelope {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

/**
 * The envelope in a command's output. Other lines (warnings PowerShell wrote to the console)
 * are ignored; the last JSON line that is an envelope wins.
 */
export function extractEnvelope(output: string): Envelope | undefined {
  const lines = output.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let index = lines.length - 1; index >= 0; index--) {
    const line = lines[index]!.trim().replace(/^\uFEFF/, '');
    if (!line.startsWith('{')) continue;
    try {
      const parsed: unknown = JSON.parse(line);
      if (!isEnvelope(parsed)) continue;
      if (parsed.ok) return { ok: true, value: parsed.value ?? null };
      const failure = parsed as { error?: unknown; category?: unknown; errorId?: unknown };
      return { ok: false, error: String(failure.error ?? ''), category: String(failure.category ?? ''), errorId: String(failure.errorId ?? '') };
    } catch {
      // not JSON after all
    }
  }
  return undefined;
}
