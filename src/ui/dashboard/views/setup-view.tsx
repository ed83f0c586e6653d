import { Box, Text } from 'ink';
import { formatDuration } from '../../../core/setup/step-runner.js';
import { fitText } from '../../components/fit-text.js';
import { ProgressBar } from '../../components/progress-bar.js';
import { useTicker } from '../../hooks/use-ticker.js';
import type { Clock } from '../../../plugin-api/index.js';
import { useTheme, type ColorRole } from '../../terminal/theme.js';
import type { SetupProgress, StepState } from '../setup-progress.js';

const STEP_ROLE: Record<StepState, ColorRole | undefined> = { pending: 'muted', running: 'accent', done: 'ok', skipped: 'muted', failed: 'error' };

export interface SetupViewProps {
  progress: SetupProgress;
  /** The answer being typed to setup's question. */
  answer: string;
  clock: Clock;
  width: number;
  height: number;
}

/** First-time setup as it runs: its steps, a progress bar with elapsed time and an estimate, the latest log lines and setup's question, if any. */
export function SetupView({ progress, answer, clock, width, height }: SetupViewProps) {
  const theme = useTheme();
  const { symbols } = theme;
  const running = !progress.outcome;
  const now = useTicker(clock, 1000, running);
  const elapsed = progress.elapsedMs + (running ? Math.max(0, now - progress.at) : 0);
  const timing = [`${progress.percent}%`, `${formatDuration(Math.round(elapsed))} elapsed`, progress.remainingMs !== undefined ? `about ${formatDuration(progress.remainingMs)} left` : undefined]
    .filter(Boolean)
    .join(' · ');
  const mark = (state: StepState) => (state === 'done' ? symbols.ok : state === 'failed' ? symbols.fail : state === 'running' ? symbols.pointer : state === 'skipped' ? '-' : symbols.stopped);
  const questionLines = progress.question ? 2 : 0;
  const outcomeLines = progress.outcome ? 2 : 0;
  const logHeight = Math.max(0, height - 3 - progress.steps.length - questionLines - outcomeLines);
  const barWidth = Math.max(10, Math.min(40, width - 44));
  return (
    <Box flexDirection="column" height={height}>
      <Text bold={theme.capabilities.styles}>{fitText(`Setting up ${progress.workspace}${progress.mode ? ` (${progress.mode})` : ''}${progress.message ? `: ${progress.message}` : ''}`, width, symbols)}</Text>
      <Text>
        <ProgressBar percent={progress.percent} width={barWidth} /> {fitText(timing, Math.max(0, width - barWidth - 1), symbols)}
      </Text>
      {progress.steps.map((step) => (
        <Text key={step.id} color={theme.color(STEP_ROLE[step.state] ?? 'muted')}>
          {fitText(`${mark(step.state)} ${step.title}${step.attempt > 1 ? ` (attempt ${step.attempt})` : ''}${step.durationMs !== undefined && step.state === 'done' ? ` ${formatDuration(step.durationMs)}` : ''}${step.state === 'skipped' ? ' (done earlier)' : ''}`, width, symbols)}
        </Text>
      ))}
      <Text> </Text>
      {progress.lines.slice(-logHeight).map((line, index) => (
        <Text key={index} color={theme.color(line.stream === 'warn' || line.stream === 'stderr' ? 'warn' : 'muted')}>
          {fitText(`${line.stream === 'stderr' ? '!' : '|'} ${line.text}`, width, symbols)}
        </Text>
      ))}
      {progress.question ? (
        <Box flexDirection="column">
          <Text color={theme.color('accent')} bold={theme.capabilities.styles}>
            {fitText(`? ${progress.question.question} [${progress.question.default}]`, width, symbols)}
          </Text>
          <Text>{fitText(`> ${answer}_`, width, symbols)}</Text>
        </Box>
      ) : null}
      {progress.outcome ? (
        <Box flexDirection="column">
          <Text color={theme.color(progress.outcome.ok ? 'ok' : 'error')}>{fitText(`${progress.outcome.ok ? symbols.ok : symbols.fail} ${progress.outcome.text}`, width, symbols)}</Text>
          {!progress.outcome.ok && progress.outcome.hint ? <Text color={theme.color('muted')}>{fitText(`hint: ${progress.outcome.hint}`, width, symbols)}</Text> : null}
        </Box>
      ) : null}
    </Box>
  );
}
