/** What is wrong with an archive, as a stable word for `--json` output and the event log. */
export type TarProblem =
  | 'not-tar'
  | 'truncated'
  | 'checksum'
  | 'bad-header'
  | 'bad-path'
  | 'traversal'
  | 'absolute-path'
  | 'symlink'
  | 'hard-link'
  | 'device'
  | 'fifo'
  | 'directory'
  | 'unsupported-type'
  | 'duplicate'
  | 'oversized-header';

/** A refused archive: the reader stops at the first problem, before the member's data is used. */
export class TarError extends Error {
  constructor(
    readonly problem: TarProblem,
    message: string,
  ) {
    super(message);
    this.name = 'TarError';
  }
}
