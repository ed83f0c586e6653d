/** Where progress goes: a stream that may be a terminal. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressPrinter {
  update(label: string, done: number, total: number): void;
  /** Ends a bar line on a terminal; call before printing anything else. */
  finish(): void;
}

function human(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

const REDRAW_MS = 100;
const PLAIN_STEP = 10;

/**
 * Progress of long copies, without a terminal library: a redrawn bar on a terminal, and in
 * logs (distribution systems, CI) one plain line per 10 % ("packing disk.img: 40%").
 */
export function createProgressPrinter(stream: ProgressStream, now: () => number = Date.now): ProgressPrinter {
  const interactive = stream.isTTY === true;
  let drawn = false;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lastLabel = '';
  let lastStep = -1;
  return {
    update(label, done, total) {
      const percent = total === 0 ? 100 : Math.min(100, Math.floor((done / total) * 100));
      if (label !== lastLabel) {
        if (interactive && drawn) stream.write('\n');
        drawn = false;
        lastLabel = label;
        lastStep = 0;
      }
      if (!interactive) {
        const step = Math.floor(percent / PLAIN_STEP) * PLAIN_STEP;
        if (step > lastStep) {
          lastStep = step;
          stream.write(`${label}: ${step}%\n`);
        }
        return;
      }
      if (percent < 100 && now() - lastDraw < REDRAW_MS) return;
      lastDraw = now();
      const figures = ` ${String(percent).padStart(3)}% ${human(done)}/${human(total)}`;
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - figures.length - 4));
      const filled = Math.round((percent / 100) * width);
      stream.write(`\r\x1b[2K${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${figures}`);
      drawn = true;
    },
    finish() {
      if (interactive && drawn) stream.write('\n');
      drawn = false;
    },
  };
}
