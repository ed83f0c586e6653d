import { Text } from 'ink';
import { useFit, type Segment } from './use-fit.js';

/**
 * Fewer escape codes for the same picture: colour and bold on blanks are dropped, and
 * neighbours left with one style are joined (each style change costs bytes on every redraw).
 */
function compact(segments: readonly Segment[]): Segment[] {
  const joined: Segment[] = [];
  for (const segment of segments) {
    if (segment.text === '') continue;
    const plain = segment.text.trim() === '' && !segment.underline ? { text: segment.text } : segment;
    const last = joined[joined.length - 1];
    if (last && last.color === plain.color && Boolean(last.bold) === Boolean(plain.bold) && Boolean(last.underline) === Boolean(plain.underline)) {
      joined[joined.length - 1] = { ...last, text: last.text + plain.text };
    } else {
      joined.push(plain);
    }
  }
  return joined;
}

/** One line of styled segments, never wider than `width` and safe for the terminal's charset. */
export function FittedLine({ segments, width }: { segments: readonly Segment[]; width: number }) {
  const fit = useFit();
  return (
    <Text wrap="truncate-end">
      {compact(fit(segments, width)).map((segment, index) => (
        <Text key={index} bold={segment.bold} underline={segment.underline} color={segment.color}>
          {segment.text}
        </Text>
      ))}
    </Text>
  );
}
