import { Box, Text } from 'ink';
import type { HostStreamState } from '../../../core/fleet/host-stream-state.js';
import { fitText, wrapText } from '../../components/fit-text.js';
import type { Symbols } from '../../terminal/symbols.js';
import { useTheme, type ColorRole } from '../../terminal/theme.js';

export interface HostLine {
  text: string;
  role?: ColorRole;
}

/** At most `most` lines: the rest of a longer text goes on the last, cut with an ellipsis. */
function atMost(most: number, lines: string[]): string[] {
  return lines.length <= most ? lines : [...lines.slice(0, most - 1), [lines[most - 1]!, ...lines.slice(most).map((line) => line.trim())].join(' ')];
}

const count = (n: number) => `${n} workspace${n === 1 ? '' : 's'}`;

/**
 * The hosts' health above the list, a line each: reachable with its round trip and twinbox
 * version, or why not (wrapped to two lines at most) with the fix under it (three at most).
 * `local`: this machine's workspace count, when its workspaces are in the list.
 */
type PanelSymbols = Pick<Symbols, 'ascii' | 'ellipsis' | 'ok' | 'fail' | 'warning'>;

/**
 * The panel in at most `maxLines` lines: a failing host's reason and fix are wrapped less
 * (two and three lines, down to one and none) before any host's line is left out.
 */
export function hostPanelLines(hosts: readonly HostStreamState[], local: number | undefined, width: number, symbols: PanelSymbols, maxLines = Number.POSITIVE_INFINITY): HostLine[] {
  const tiers: Array<[number, number]> = [[2, 3], [2, 2], [2, 1], [1, 1], [1, 0]];
  for (const [reason, fix] of tiers) {
    const lines = panelLines(hosts, local, width, symbols, reason, fix);
    if (lines.length <= maxLines) return lines;
  }
  return panelLines(hosts, local, width, symbols, 1, 0).slice(0, Math.max(0, maxLines));
}

function panelLines(hosts: readonly HostStreamState[], local: number | undefined, width: number, symbols: PanelSymbols, reasonLines: number, fixLines: number): HostLine[] {
  const nameWidth = Math.min(14, Math.max(5, ...hosts.map((host) => host.name.length)));
  const label = (name: string) => name.padEnd(nameWidth);
  const lines: HostLine[] = [];
  if (local !== undefined) lines.push({ text: `${symbols.ok} ${label('local')} this machine · ${count(local)}`, role: 'muted' });
  for (const host of hosts) {
    if (host.phase === 'live') {
      const rtt = host.rttMs === undefined ? '' : ` · ${host.rttMs < 1 ? '<1' : Math.round(host.rttMs)} ms`;
      lines.push({ text: `${symbols.ok} ${label(host.name)} live${rtt} · twinbox ${host.version ?? '?'} · ${count(host.workspaces.size)}`, role: 'muted' });
      continue;
    }
    if (host.phase === 'connecting' || !host.error) {
      lines.push({ text: `${symbols.warning} ${label(host.name)} connecting to ${host.address}${symbols.ellipsis}`, role: 'warn' });
      continue;
    }
    const indent = ' '.repeat(nameWidth + 3);
    const reason = atMost(reasonLines, wrapText(`${symbols.fail} ${label(host.name)} ${host.phase}: ${host.error.message}`, width, symbols, nameWidth + 3));
    lines.push(...reason.map((text) => ({ text, role: 'error' as const })));
    if (host.error.hint && fixLines > 0) {
      const fix = atMost(fixLines, wrapText(`${indent}fix: ${host.error.hint}`, width, symbols, nameWidth + 8));
      lines.push(...fix.map((text) => ({ text })));
    }
  }
  return lines.map((line) => ({ ...line, text: fitText(line.text, width, symbols) }));
}

/** The panel drawn from hostPanelLines. */
export function HostPanel({ lines }: { lines: readonly HostLine[] }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column">
      {lines.map((line, index) => (
        <Text key={index} color={line.role ? theme.color(line.role) : undefined}>
          {line.text || ' '}
        </Text>
      ))}
    </Box>
  );
}
