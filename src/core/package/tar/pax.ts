import { TarError } from './tar-error.js';

/** Parses PAX extended header records: `<length> <key>=<value>\n`, length counting the whole record. */
export function parsePax(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space < 0) throw new TarError('bad-header', 'malformed PAX extended header');
    const length = Number.parseInt(data.toString('latin1', offset, space), 10);
    if (!Number.isSafeInteger(length) || length <= space - offset || offset + length > data.length || data[offset + length - 1] !== 0x0a) {
      throw new TarError('bad-header', 'malformed PAX extended header record');
    }
    const record = data.toString('utf8', space + 1, offset + length - 1);
    const equals = record.indexOf('=');
    if (equals <= 0) throw new TarError('bad-header', 'malformed PAX extended header record');
    records.set(record.slice(0, equals), record.slice(equals + 1));
    offset += length;
  }
  return records;
}

/** Encodes PAX records; each record's length prefix counts its own digits. */
export function encodePax(records: ReadonlyMap<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of records) {
    const body = ` ${key}=${value}\n`;
    const bodyLength = Buffer.byteLength(body);
    let length = bodyLength + 1;
    while (String(length).length + bodyLength !== length) length = String(length).length + bodyLength;
    parts.push(Buffer.from(`${length}${body}`, 'utf8'));
  }
  return Buffer.concat(parts);
}
