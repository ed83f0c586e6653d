import { PassThrough, Writable } from 'node:stream';

/** An 80x24 terminal in memory that keeps every write; its size can change, as a window's does. */
export class RecordingTerminal extends Writable {
  readonly isTTY = true;
  columns = 80;
  rows = 24;
  readonly writes: string[] = [];

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.writes.push(chunk.toString());
    done();
  }
}

/** A keyboard Ink accepts as a terminal's: raw mode and ref/unref do nothing. */
export function keyboard(): NodeJS.ReadStream {
  const stream = new PassThrough() as unknown as NodeJS.ReadStream & { isTTY: boolean; setRawMode(mode: boolean): unknown };
  stream.isTTY = true;
  stream.setRawMode = () => stream;
  stream.ref = () => stream;
  stream.unref = () => stream;
  return stream;
}
