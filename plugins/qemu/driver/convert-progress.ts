/**
 * `qemu-img convert -p` rewrites one line with carriage returns: "    (12.34/100%)\r".
 * Feed it chunks as they arrive; it calls back with each new percentage.
 */
export class ConvertProgressParser {
  private pending = '';
  private last = -1;

  constructor(private readonly onPercent: (percent: number) => void) {}

  push(chunk: string): void {
    this.pending += chunk;
    const parts = this.pending.split(/[\r\n]/);
    this.pending = parts.pop() ?? '';
    for (const part of parts) this.line(part);
  }

  end(): void {
    this.line(this.pending);
    this.pending = '';
  }

  private line(text: string): void {
    const percent = parseConvertProgress(text);
    if (percent === undefined || percent === this.last) return;
    this.last = percent;
    this.onPercent(percent);
  }
}

export function parseConvertProgress(text: string): number | undefined {
  const match = /\((\d+(?:\.\d+)?)\/100%\)/.exec(text);
  if (!match) return undefined;
  const percent = Number(match[1]);
  return Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : undefined;
}
