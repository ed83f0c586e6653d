import test from 'ava';
import { ReplyDecoder } from '../../../plugins/qga/index.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

test('a reply split across chunks is decoded once complete', (t) => {
  const decoder = new ReplyDecoder();
  const line = '{"return": {"host-name": "debian"}}\n';
  const messages = [...line].flatMap((char) => decoder.push(bytes(char)));
  t.deepEqual(messages, [{ return: { 'host-name': 'debian' } }]);
});

test('several replies merged in one chunk come out in order', (t) => {
  const decoder = new ReplyDecoder();
  t.deepEqual(decoder.push(bytes('{"return": 1}\n{"return": 2}\n{"ret')), [{ return: 1 }, { return: 2 }]);
  t.deepEqual(decoder.push(bytes('urn": 3}\n')), [{ return: 3 }]);
});

test('garbage lines and boot noise before a reply are ignored', (t) => {
  const decoder = new ReplyDecoder();
  const messages = decoder.push(bytes('\u0000\u0000login: \n[  OK  ] Started qemu-guest-agent\n[1, 2]\n"text"\n\r\nnoise {"return": {}}\n'));
  t.deepEqual(messages, [{ return: {} }]);
});

test('0xFF discards a partial line and frames the reply that follows', (t) => {
  const decoder = new ReplyDecoder();
  t.deepEqual(decoder.push(bytes('{"return": {"half')), []);
  t.deepEqual(decoder.push(Buffer.concat([Buffer.from([0xff]), bytes('{"return": 42}\n')])), [{ return: 42 }]);
});

test('0xFF bytes between replies are not part of them', (t) => {
  const decoder = new ReplyDecoder();
  const stream = Buffer.concat([Buffer.from([0xff, 0xff]), bytes('{"return": 7}\n'), Buffer.from([0xff]), bytes('{"return": 8}\r\n')]);
  t.deepEqual(decoder.push(stream), [{ return: 7 }, { return: 8 }]);
});

test('multi-byte UTF-8 split between chunks survives', (t) => {
  const decoder = new ReplyDecoder();
  const line = bytes('{"return": {"host-name": "gäst"}}\n');
  const cut = line.indexOf(0xa4);
  t.deepEqual(decoder.push(line.subarray(0, cut)), []);
  t.deepEqual(decoder.push(line.subarray(cut)), [{ return: { 'host-name': 'gäst' } }]);
});
