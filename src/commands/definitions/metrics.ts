import type { CommandDefinition } from '../command-context.js';

export const metrics: CommandDefinition = {
  name: 'metrics',
  summary: 'write Prometheus metrics of every workspace (node_exporter textfile format)',
  help: `Usage: twinbox metrics --prom FILE
       twinbox metrics --prom -

Writes every workspace's metrics in the Prometheus text format for node_exporter's textfile
collector: state (one-hot by state label), setup state, status code and time, the host
agent's last guest-agent check (up, round-trip time), published apps, running app sessions
and app launches. FILE is written atomically (a temporary file renamed over it) and readable
by all; - prints to standard output. Reads only: takes no lock.`,
  load: () => import('../metrics.js'),
};
