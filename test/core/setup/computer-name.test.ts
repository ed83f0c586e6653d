import test from 'ava';
import { computerNameProblem, expandComputerNameMask } from '../../../src/core/setup/computer-name.js';

const host = { username: 'john.doe', hostname: 'laptop-42.corp.example.com' };
/** Always the same "random" pick: digit 7, letter H (the eighth of A–Z0–9). */
const fixed = () => 7;

test('a literal mask is kept as written', (t) => {
  t.is(expandComputerNameMask('OFFICE-PC', { ...host, random: fixed }), 'OFFICE-PC');
});

test('each # becomes one random digit', (t) => {
  t.is(expandComputerNameMask('PC-###', { ...host, random: fixed }), 'PC-777');
  t.regex(expandComputerNameMask('PC-###', host), /^PC-\d{3}$/);
});

test('a trailing * fills up with random letters and digits to 15 characters', (t) => {
  const name = expandComputerNameMask('MEDV*', host);
  t.is(name.length, 15);
  t.regex(name, /^MEDV[A-Z0-9]{11}$/);
  t.is(expandComputerNameMask('MEDV*', { ...host, random: fixed }), `MEDV${'H'.repeat(11)}`);
});

test('%username% and %hostname% are substituted without characters a computer name cannot hold', (t) => {
  t.is(expandComputerNameMask('%username%', { ...host, random: fixed }), 'johndoe');
  t.is(expandComputerNameMask('%HOSTNAME%-vm', { ...host, random: fixed }), 'laptop-42-vm');
});

test('[n] keeps the first n characters of the element right before it', (t) => {
  t.is(expandComputerNameMask('TB-%username%[4]-#', { ...host, random: fixed }), 'TB-john-7');
  t.is(expandComputerNameMask('%hostname%[3]%username%[2]', { ...host, random: fixed }), 'lapjo');
  t.is(expandComputerNameMask('OFFICE[3]-1', { ...host, random: fixed }), 'OFF-1');
});

test('the result is cut to 15 characters and loses dashes at its ends', (t) => {
  t.is(expandComputerNameMask('ABCDEFGHIJKLMN-OPQ', { ...host, random: fixed }), 'ABCDEFGHIJKLMN');
  t.is(expandComputerNameMask('-%username%[0]X-', { ...host, random: fixed }), 'X');
  t.is(expandComputerNameMask('VERY-LONG-PREFIX*', { ...host, random: fixed }), 'VERY-LONG-PREFI');
});

test('masks that cannot give a computer name are refused with the reason', (t) => {
  for (const [mask, reason] of [
    ['[3]abc', /needs something before it/],
    ['AB*CD', /may only come last/],
    ['A_B', /"_" is not allowed/],
    ['###', /digits only/],
    ['%username%[0]', /empty/],
  ] as const) {
    const error = t.throws(() => expandComputerNameMask(mask, { ...host, random: fixed }), undefined, mask);
    t.regex(error?.message ?? '', reason, mask);
    t.like(error, { code: 'computer-name-mask' });
  }
});

test('computer names are checked like NetBIOS and DNS names', (t) => {
  t.is(computerNameProblem('OFFICE-1'), undefined);
  t.regex(computerNameProblem('A'.repeat(16)) ?? '', /longer than 15/);
  t.regex(computerNameProblem('has space') ?? '', /letters, digits and dashes/);
  t.regex(computerNameProblem('-lead') ?? '', /dash/);
  t.regex(computerNameProblem('') ?? '', /empty/);
});
