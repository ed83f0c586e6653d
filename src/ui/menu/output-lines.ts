/** CSI and OSC escape sequences, then any other control character but tab and newline. */
const ESCAPES = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)|\u001B[@-_]?/g;
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * A guest program's output as lines the menu can show: its escape sequences would move the
 * cursor or recolour the menu (or worse, retitle or reprogram the terminal), so they go.
 */
export function outputLines(text: string): string[] {
  const lines = text
    .replace(/\r\n/g, '\n')
    .replace(ESCAPES, '')
    .replace(/\t/g, '    ')
    .replace(CONTROLS, '')
    .split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
