/**
 * CSV as RFC 4180 writes it, and as spreadsheets do: a header row, `,` or `;` between fields, fields in double
 * quotes when they hold a separator, a quote (doubled) or a line break, CRLF or LF line ends. Every record keeps
 * the line it starts on, so a bad row is reported where an editor shows it. A malformed record is reported and
 * skipped, and reading goes on at the next line, so one run names every bad row.
 */

export interface CsvRecord {
  /** 1-based line of the record's first character. */
  line: number;
  fields: string[];
}

export interface CsvProblem {
  line: number;
  message: string;
}

export type Separator = ',' | ';';

/** The separator the header row uses: `;` when it has more of those than commas (Excel in a Russian locale). */
export const separatorOf = (headerLine: string): Separator => (headerLine.split(';').length > headerLine.split(',').length ? ';' : ',');

export const parseCsv = (text: string, separator: Separator): { records: CsvRecord[]; problems: CsvProblem[] } => {
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let problem: string | null = null;
    // One record: fields until an unquoted line break or the end of the text.
    for (;;) {
      if (text[i] === '"') {
        const opened = line;
        i += 1;
        for (;;) {
          if (i >= text.length) {
            problem = `the quote opened on line ${opened} is never closed`;
            break;
          }
          const char = text[i];
          if (char === '"' && text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else if (char === '"') {
            i += 1;
            break;
          } else {
            if (char === '\n' || (char === '\r' && text[i + 1] !== '\n')) line += 1;
            field += char;
            i += 1;
          }
        }
        if (problem === null && i < text.length && text[i] !== separator && text[i] !== '\r' && text[i] !== '\n') {
          problem = `characters after a closing quote (a quote inside a field is written twice: "")`;
        }
      } else {
        while (i < text.length && text[i] !== separator && text[i] !== '\r' && text[i] !== '\n') {
          if (text[i] === '"') problem ??= 'a quote inside an unquoted field (quote the whole field and write the quote twice: "")';
          field += text[i];
          i += 1;
        }
      }
      if (problem !== null) break;
      fields.push(field);
      field = '';
      if (text[i] === separator) {
        i += 1;
        continue;
      }
      break;
    }
    if (problem !== null) {
      problems.push({ line: start, message: problem });
      // Skip the rest of the physical line, then go on with the next record.
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i += 1;
    } else if (!(fields.length === 1 && fields[0] === '')) {
      records.push({ line: start, fields });
    }
    if (text[i] === '\r') i += 1;
    if (text[i] === '\n') i += 1;
    line += 1;
  }
  return { records, problems };
};
