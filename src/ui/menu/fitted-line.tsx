import { Text } from 'ink';
import { useFit, type Segment } from './use-fit.js';

/** One line of styled segments, never wider than `width` and safe for the terminal's charset. */
export function FittedLine({ segments, width }: { segments: readonly Segment[]; width: number }) {
  const fit = useFit();
  return (
    <Text wrap="truncate-end">
      {fit(segments, width).map((segment, index) => (
        <Text key={index} bold={segment.bold} underline={segment.underline} color={segment.color}>
          {segment.text}
        </Text>
      ))}
    </Text>
  );
}
