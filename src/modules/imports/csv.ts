/**
 * A small streaming CSV parser (RFC 4180): comma-separated fields, double
 * quotes around fields that hold commas, quotes or line breaks, "" for a quote
 * inside a quoted field, CRLF or LF between records, and an optional UTF-8
 * byte-order mark. Written here rather than taken from a package because the
 * import needs line numbers for every record (a quoted field can span lines)
 * and little else.
 *
 * Feed text with push() as it arrives and call end() at the end; each returns
 * the records completed so far. A record that breaks the format (a stray
 * quote, a quoted field never closed) comes back with `error` set, so one
 * broken record never stops the rest of the file.
 */
export interface CsvRecord {
  /** The physical line the record starts on, counting from 1. */
  line: number;
  fields: string[];
  error?: string;
}

type State = 'field-start' | 'unquoted' | 'quoted' | 'quote-in-quoted' | 'bad';

const [COMMA, QUOTE, CR, LF] = [',', '"', '\r', '\n'].map((char) => char.charCodeAt(0));

export class CsvParser {
  #state: State = 'field-start';
  #field = '';
  #fields: string[] = [];
  #line = 1;
  #recordLine = 1;
  #error: string | undefined;
  #started = false;
  #pendingCr = false;
  #records: CsvRecord[] = [];

  push(chunk: string): CsvRecord[] {
    let text = chunk;
    if (!this.#started) {
      this.#started = text.length > 0;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const length = text.length;
    let at = 0;
    while (at < length) {
      // Within a field, a run of characters that cannot end it or change the state is copied as one slice:
      // character by character, a 100,000-row file took seconds.
      const run = this.#pendingCr ? at : this.#runEnd(text, at);
      if (run > at) {
        this.#field += text.slice(at, run);
        at = run;
      } else {
        this.#consume(text[at]);
        at += 1;
      }
    }
    return this.#take();
  }

  /** Where the run of ordinary characters starting at `from` ends, in the unquoted and quoted states. */
  #runEnd(text: string, from: number): number {
    let at = from;
    if (this.#state === 'unquoted') {
      for (; at < text.length; at += 1) {
        const code = text.charCodeAt(at);
        if (code === COMMA || code === QUOTE || code === CR || code === LF) break;
      }
    } else if (this.#state === 'quoted') {
      for (; at < text.length; at += 1) {
        const code = text.charCodeAt(at);
        if (code === QUOTE || code === LF) break;
      }
    }
    return at;
  }

  end(): CsvRecord[] {
    if (this.#pendingCr) {
      this.#pendingCr = false;
      this.#endRecord();
    }
    if (this.#state === 'quoted') {
      this.#error ??= 'A quoted field is not closed: a double quote is missing';
    }
    if (this.#state !== 'field-start' || this.#fields.length > 0 || this.#error) this.#endRecord();
    return this.#take();
  }

  #take(): CsvRecord[] {
    const records = this.#records;
    this.#records = [];
    return records;
  }

  #consume(char: string): void {
    // A CR ends a record only outside quotes; CRLF and a lone CR both count as one line break.
    if (this.#pendingCr) {
      this.#pendingCr = false;
      this.#endRecord();
      if (char === '\n') return;
    }
    switch (this.#state) {
      case 'field-start':
        if (char === '"') this.#state = 'quoted';
        else if (char === ',') this.#endField();
        else if (char === '\r') this.#pendingCr = true;
        else if (char === '\n') this.#endRecord();
        else {
          this.#field += char;
          this.#state = 'unquoted';
        }
        return;
      case 'unquoted':
        if (char === ',') this.#endField();
        else if (char === '\r') this.#pendingCr = true;
        else if (char === '\n') this.#endRecord();
        else if (char === '"') this.#fail('A double quote appears inside a field that does not start with one');
        else this.#field += char;
        return;
      case 'quoted':
        if (char === '"') this.#state = 'quote-in-quoted';
        else {
          if (char === '\n') this.#line += 1;
          this.#field += char;
        }
        return;
      case 'quote-in-quoted':
        if (char === '"') {
          this.#field += '"';
          this.#state = 'quoted';
        } else if (char === ',') this.#endField();
        else if (char === '\r') this.#pendingCr = true;
        else if (char === '\n') this.#endRecord();
        else this.#fail('Text follows the closing double quote of a field');
        return;
      case 'bad':
        // Skip to the end of the physical line, then start afresh.
        if (char === '\r') this.#pendingCr = true;
        else if (char === '\n') this.#endRecord();
        return;
    }
  }

  #fail(message: string): void {
    this.#error ??= message;
    this.#state = 'bad';
  }

  #endField(): void {
    this.#fields.push(this.#field);
    this.#field = '';
    this.#state = 'field-start';
  }

  #endRecord(): void {
    if (this.#state !== 'bad') this.#fields.push(this.#field);
    const blank = this.#fields.length === 1 && this.#fields[0] === '' && !this.#error;
    if (!blank) {
      const record: CsvRecord = { line: this.#recordLine, fields: this.#fields };
      if (this.#error) record.error = this.#error;
      this.#records.push(record);
    }
    this.#fields = [];
    this.#field = '';
    this.#error = undefined;
    this.#state = 'field-start';
    this.#line += 1;
    this.#recordLine = this.#line;
  }
}

/** Every record of a whole text; blank lines are skipped. */
export function parseCsv(text: string): CsvRecord[] {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()];
}

/** Records from a stream of text chunks (e.g. a file read with an encoding), as they complete. */
export async function* csvRecords(chunks: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  const parser = new CsvParser();
  for await (const chunk of chunks) yield* parser.push(chunk);
  yield* parser.end();
}
