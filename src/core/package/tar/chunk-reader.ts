/**
 * Reads exact byte counts from a stream of chunks of any size, without copying the data it
 * passes through: member bodies come out as slices of the chunks that arrived.
 */
export class ChunkReader {
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;
  private ended = false;
  /** Bytes handed out so far: the offset in the archive. */
  position = 0;

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  private async pull(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.source.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    if (chunk.length > 0) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
    }
    return true;
  }

  /** Up to `count` bytes in one buffer; fewer only when the stream has ended. */
  async read(count: number): Promise<Buffer> {
    while (this.pendingBytes < count && (await this.pull()));
    const take = Math.min(count, this.pendingBytes);
    const parts: Buffer[] = [];
    let wanted = take;
    while (wanted > 0) {
      const head = this.pending[0]!;
      if (head.length <= wanted) {
        parts.push(head);
        this.pending.shift();
        wanted -= head.length;
      } else {
        parts.push(head.subarray(0, wanted));
        this.pending[0] = head.subarray(wanted);
        wanted = 0;
      }
    }
    this.pendingBytes -= take;
    this.position += take;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, take);
  }

  /** Up to `limit` bytes from what has arrived (waiting for more only when nothing is pending); empty at the end. */
  async readSome(limit: number): Promise<Buffer> {
    if (this.pendingBytes === 0 && !(await this.pullNonEmpty())) return Buffer.alloc(0);
    const head = this.pending[0]!;
    const piece = head.length <= limit ? head : head.subarray(0, limit);
    if (piece === head) this.pending.shift();
    else this.pending[0] = head.subarray(limit);
    this.pendingBytes -= piece.length;
    this.position += piece.length;
    return piece;
  }

  private async pullNonEmpty(): Promise<boolean> {
    while (this.pendingBytes === 0) if (!(await this.pull())) return false;
    return true;
  }
}
