import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CsvParser, csvRecords, parseCsv } from './csv.ts';

describe('CSV parser (RFC 4180)', () => {
  test('splits plain fields and records, with LF or CRLF line breaks', () => {
    assert.deepEqual(parseCsv('a,b,c\n1,2,3\n'), [
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '2', '3'] },
    ]);
    assert.deepEqual(parseCsv('a,b\r\n1,2\r\n'), [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
  });

  test('keeps the last record when the file has no final line break', () => {
    assert.deepEqual(parseCsv('a,b\n1,2'), [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
  });

  test('keeps empty fields, including a trailing one', () => {
    assert.deepEqual(parseCsv('a,,c,\n'), [{ line: 1, fields: ['a', '', 'c', ''] }]);
    assert.deepEqual(parseCsv(',\n'), [{ line: 1, fields: ['', ''] }]);
  });

  test('quoted fields hold commas, doubled quotes and line breaks', () => {
    const records = parseCsv('id,note\n1,"Smith, John"\n2,"said ""hello"""\n3,"two\nlines"\n4,"crlf\r\ninside"\n5,x\n');
    assert.deepEqual(records, [
      { line: 1, fields: ['id', 'note'] },
      { line: 2, fields: ['1', 'Smith, John'] },
      { line: 3, fields: ['2', 'said "hello"'] },
      { line: 4, fields: ['3', 'two\nlines'] },
      { line: 6, fields: ['4', 'crlf\r\ninside'] },
      { line: 8, fields: ['5', 'x'] },
    ]);
  });

  test('an empty quoted field is an empty string', () => {
    assert.deepEqual(parseCsv('"",b\n'), [{ line: 1, fields: ['', 'b'] }]);
  });

  test('strips a UTF-8 byte-order mark and keeps non-ASCII text', () => {
    assert.deepEqual(parseCsv('\uFEFFname\nSiân Ó Briain\n'), [
      { line: 1, fields: ['name'] },
      { line: 2, fields: ['Siân Ó Briain'] },
    ]);
  });

  test('skips blank lines but counts them for line numbers', () => {
    assert.deepEqual(parseCsv('a\n\n\nb\n\n'), [
      { line: 1, fields: ['a'] },
      { line: 4, fields: ['b'] },
    ]);
  });

  test('a stray quote marks only its own record as broken', () => {
    const records = parseCsv('a,b\n1,x"y\n2,"z"q\n3,ok\n');
    assert.deepEqual(records[0], { line: 1, fields: ['a', 'b'] });
    assert.equal(records[1].line, 2);
    assert.match(records[1].error ?? '', /double quote appears inside a field/);
    assert.equal(records[2].line, 3);
    assert.match(records[2].error ?? '', /follows the closing double quote/);
    assert.deepEqual(records[3], { line: 4, fields: ['3', 'ok'] });
  });

  test('a quoted field that is never closed is reported at the line it started', () => {
    const records = parseCsv('a,b\n1,"open\n2,more\n');
    assert.equal(records.length, 2);
    assert.equal(records[1].line, 2);
    assert.match(records[1].error ?? '', /not closed/);
  });

  test('gives the same records however the text is split into chunks', async () => {
    const text = '\uFEFFid,note\r\n1,"a ""b"", c\r\nd"\r\n2,e\r\n';
    const whole = parseCsv(text);
    async function* oneCharAtATime() {
      for (const char of text) yield char;
    }
    const streamed = [];
    for await (const record of csvRecords(oneCharAtATime())) streamed.push(record);
    assert.deepEqual(streamed, whole);
    assert.deepEqual(whole[1], { line: 2, fields: ['1', 'a "b", c\r\nd'] });
    assert.deepEqual(whole[2], { line: 4, fields: ['2', 'e'] });
  });

  test('a CR split from its LF across chunks is one line break', () => {
    const parser = new CsvParser();
    const records = [...parser.push('a,b\r'), ...parser.push('\n1,2'), ...parser.end()];
    assert.deepEqual(records, [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
  });
});
