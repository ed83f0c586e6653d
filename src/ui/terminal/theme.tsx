import { createContext, useContext, type ReactNode } from 'react';
import type { TerminalCapabilities } from './capabilities.js';
import { symbolsFor, type Symbols } from './symbols.js';

/** Colour roles, so no view names a colour itself and NO_COLOR is honoured in one place. */
export type ColorRole = 'accent' | 'ok' | 'warn' | 'error' | 'muted' | 'simulated';

const palette: Record<ColorRole, string> = {
  accent: 'cyan',
  ok: 'green',
  warn: 'yellow',
  error: 'red',
  muted: 'gray',
  simulated: 'magenta',
};

export interface Theme {
  capabilities: TerminalCapabilities;
  symbols: Symbols;
  /** The Ink colour for a role, or undefined on a monochrome terminal. */
  color(role: ColorRole): string | undefined;
}

export function createTheme(capabilities: TerminalCapabilities): Theme {
  return {
    capabilities,
    symbols: symbolsFor(capabilities.unicode),
    color: (role) => (capabilities.color ? palette[role] : undefined),
  };
}

const ThemeContext = createContext<Theme>(createTheme({ unicode: true, color: true, styles: true }));

export function ThemeProvider({ theme, children }: { theme: Theme; children: ReactNode }) {
  return <ThemeContext.Provider value={theme}>{children}</ThemeContext.Provider>;
}

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

/** The colour role of a VM state, shared by every view that shows one. */
export function stateRole(state: string): ColorRole {
  switch (state) {
    case 'running':
      return 'ok';
    case 'starting':
    case 'stopping':
    case 'suspending':
    case 'paused':
    case 'suspended':
      return 'warn';
    case 'crashed':
    case 'unavailable':
    case 'unknown':
      return 'error';
    default:
      return 'muted';
  }
}
