// ecomtag-reconcile's reading of the store's orders file (SPEC §8): RFC 4180 CSV as spreadsheets and databases
// write it, JSON, and every bad row named by its line. Amounts and dates are read exactly.
import { describe, expect, it } from 'vitest';
import { formatIso, formatJournal, isoDay, journalDay } from '../../src/reconcile/dates';
import { rangesFor } from '../../src/reconcile/deals/ranges';
import { formatCents, toCents } from '../../src/reconcile/money';
import { parseCsv, separatorOf } from '../../src/reconcile/orders/csv';
import { parseOrders } from '../../src/reconcile/orders/read';

const HEADER = 'order_id,date,product_id,name,price,quantity';

describe('CSV records (RFC 4180)', () => {
  it.each([
    ['plain fields', 'a,b,c\n1,2,3\n', [['a', 'b', 'c'], ['1', '2', '3']], [1, 2]],
    ['CRLF line ends, no final line break', 'a,b\r\n1,2', [['a', 'b'], ['1', '2']], [1, 2]],
    ['a quoted separator', 'a,b\n"x, y",2\n', [['a', 'b'], ['x, y', '2']], [1, 2]],
    ['a doubled quote inside quotes', 'a,b\n"say ""hi""",2\n', [['a', 'b'], ['say "hi"', '2']], [1, 2]],
    ['a line break inside quotes: the next record keeps its own line number', 'a,b\n"two\nlines",2\n3,4\n', [['a', 'b'], ['two\nlines', '2'], ['3', '4']], [1, 2, 4]],
    ['empty fields and an empty quoted field', 'a,b,c\n,"",3\n', [['a', 'b', 'c'], ['', '', '3']], [1, 2]],
    ['blank lines are skipped, their numbers counted', 'a\n\n1\n\n', [['a'], ['1']], [1, 3]],
  ])('%s', (_, text, fields, lines) => {
    const { records, problems } = parseCsv(text, ',');
    expect(problems).toEqual([]);
    expect(records.map((record) => record.fields)).toEqual(fields);
    expect(records.map((record) => record.line)).toEqual(lines);
  });

  it('reads ; as the separator where the header uses it (Excel in a Russian locale)', () => {
    expect(separatorOf('order_id;date;product_id;name;price;quantity')).toBe(';');
    expect(separatorOf(HEADER)).toBe(',');
    expect(parseCsv('a;b\n"1;2";3\n', ';').records.map((record) => record.fields)).toEqual([['a', 'b'], ['1;2', '3']]);
  });

  it('reports a stray quote, text after a closing quote and an unclosed quote by line, and goes on', () => {
    const { records, problems } = parseCsv('a,b\nx"y,1\n"ok"z,2\n3,4\n"open,5\n6,7\n', ',');
    expect(problems).toEqual([
      { line: 2, message: expect.stringContaining('a quote inside an unquoted field') },
      { line: 3, message: expect.stringContaining('characters after a closing quote') },
      { line: 5, message: 'the quote opened on line 5 is never closed' },
    ]);
    expect(records.map((record) => record.line)).toEqual([1, 4]);
  });
});

describe('the orders file', () => {
  /** The order both files below hold: two lines, one product id of digits, one not; `at` where the file has it. */
  const order5609 = (at: string) => ({
    id: '5609',
    date: '2026-11-03',
    day: isoDay('2026-11-03'),
    at,
    lines: [
      { id: '3', name: 'USB-удлинитель', priceCents: 10100, quantity: 10 },
      { id: 'SKU-7', name: '', priceCents: 10, quantity: 3 },
    ],
  });

  it('groups CSV rows by order, in file order, with amounts in cents', () => {
    const { orders, problems } = parseOrders(
      [HEADER, '5609,2026-11-03 10:15:00,3,USB-удлинитель,101,10', '5610,2026-11-04,1003,"Кабель ""Про"", 2 м",150.50,1', '5609,2026-11-03 10:15:00,SKU-7,,0.1,3'].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(orders).toEqual([
      order5609('line 2'),
      { id: '5610', date: '2026-11-04', day: isoDay('2026-11-04'), at: 'line 3', lines: [{ id: '1003', name: 'Кабель "Про", 2 м', priceCents: 15050, quantity: 1 }] },
    ]);
  });

  it('takes what spreadsheets write: a UTF-8 BOM, ; separators, decimal commas, CRLF, columns in another order', () => {
    const text = '\uFEFFquantity;price;name;product_id;date;order_id\r\n2;"1 ,50";x;1;2026-11-01;A-1\r\n2;1,50;x;1;2026-11-01;A-1\r\n';
    const { orders, problems } = parseOrders(text);
    expect(problems).toEqual(['line 2: price must be an amount >= 0 such as 150.50, got "1 ,50"']);
    expect(orders).toEqual([{ id: 'A-1', date: '2026-11-01', day: isoDay('2026-11-01'), at: 'line 3', lines: [{ id: '1', name: 'x', priceCents: 150, quantity: 2 }] }]);
  });

  it('names every bad row by its line, and each of its problems', () => {
    const text = [
      HEADER,
      '1,2026-11-01,10,a,100,1',
      ',2026-11-31,10,a,-5,0',
      '2,01.11.2026,,a,abc,1.5',
      '3,2026-11-02,10,a,100',
      '1,2026-11-02,11,b,100,1',
      '"4,2026-11-02,10,a,100,1',
    ].join('\n');
    expect(parseOrders(text).problems).toEqual([
      'line 7: the quote opened on line 7 is never closed',
      'line 3: order_id is empty',
      'line 3: date must be YYYY-MM-DD or YYYY-MM-DD HH:mm:ss, got "2026-11-31"',
      'line 3: price must be an amount >= 0 such as 150.50, got "-5"',
      'line 3: quantity must be a whole number from 1 to 1000000, got "0"',
      'line 4: date must be YYYY-MM-DD or YYYY-MM-DD HH:mm:ss, got "01.11.2026"',
      'line 4: product_id is empty',
      'line 4: price must be an amount >= 0 such as 150.50, got "abc"',
      'line 4: quantity must be a whole number from 1 to 1000000, got "1.5"',
      'line 5: 5 fields, the header has 6',
      'line 6: order 1 is dated 2026-11-02 here but 2026-11-01 on line 2',
    ]);
  });

  it('needs the header row with all six columns', () => {
    expect(parseOrders('5609,2026-11-03,3,x,101,10\n').problems).toEqual(['line 1: the header has no order_id, date, product_id, name, price, quantity column (it needs order_id,date,product_id,name,price,quantity)']);
    expect(parseOrders('order_id,date,product_id,price,quantity\n').problems).toEqual(['line 1: the header has no name column (it needs order_id,date,product_id,name,price,quantity)']);
  });

  it('reads JSON orders, ids and numbers as strings or numbers', () => {
    const { orders, problems } = parseOrders(JSON.stringify([{ id: 5609, date: '2026-11-03 10:15:00', products: [{ id: 3, name: 'USB-удлинитель', price: '101.00', quantity: 10 }, { id: 'SKU-7', price: 0.1, quantity: '3' }] }]));
    expect(problems).toEqual([]);
    expect(orders).toEqual([order5609('[0]')]);
  });

  it('names every bad JSON order by its index and field', () => {
    const text = JSON.stringify([
      { id: '1', date: '2026-11-01', products: [{ id: 1, price: 1, quantity: 1 }] },
      { id: '', date: '2026/11/01', products: [] },
      { id: '2', date: '2026-11-01', products: [{ price: -1, quantity: 0 }, 'x'] },
      { id: '1', date: '2026-11-01', products: [{ id: 1, price: 1, quantity: 1 }] },
      7,
    ]);
    expect(parseOrders(text).problems).toEqual([
      '[1]: id is empty',
      '[1]: date must be YYYY-MM-DD or YYYY-MM-DD HH:mm:ss, got "2026/11/01"',
      '[1]: products must be a non-empty array',
      '[2] (order 2): products[0].id is empty',
      '[2] (order 2): products[0].price must be an amount >= 0 such as 150.50, got -1',
      '[2] (order 2): products[0].quantity must be a whole number from 1 to 1000000, got 0',
      '[2] (order 2): products[1] must be an object {id, name, price, quantity}',
      '[3] (order 1): listed twice (also at [0])',
      '[4]: an order must be an object {id, date, products}',
    ]);
    expect(parseOrders('[{"id": 1,').problems).toEqual([expect.stringMatching(/^not valid JSON: /)]);
  });
});

describe('amounts in cents', () => {
  it.each([
    ['150.50', 15050],
    ['150,5', 15050],
    [' 101 ', 10100],
    ['0.1', 10],
    ['1.005', 101],
    ['1.004', 100],
    [1.005, 101],
    [0.1 + 0.2, 30],
    [101.63, 10163],
    ['1e3', null],
    ['-1', null],
    [-1, null],
    [Number.NaN, null],
    ['', null],
    ['1 500', null],
  ])('%j → %j', (value, cents) => {
    expect(toCents(value)).toBe(cents);
  });

  it('prints cents as the store writes amounts', () => {
    expect([0, 5, 15050, 100000].map(formatCents)).toEqual(['0.00', '0.05', '150.50', '1000.00']);
  });
});

describe('dates', () => {
  it('reads YYYY-MM-DD (with a time where allowed) and the deal journal dd/mm/yyyy, real dates only', () => {
    expect(isoDay('2026-11-01')).toBe(Date.UTC(2026, 10, 1) / 86_400_000);
    expect(isoDay('2026-11-01 23:59:59')).toBeNull();
    expect(isoDay('2026-11-01 23:59:59', true)).toBe(isoDay('2026-11-01'));
    expect(isoDay('2026-11-01 24:00:00', true)).toBeNull();
    expect(isoDay('2026-02-29')).toBeNull();
    expect(isoDay('2028-02-29')).not.toBeNull();
    expect(journalDay('10/02/2018 10:00:00')).toBe(isoDay('2018-02-10'));
    expect(journalDay('02/30/2018')).toBeNull();
    expect(formatJournal(isoDay('2026-03-01') as number)).toBe('01/03/2026');
    expect(formatIso(journalDay('27/03/2018') as number)).toBe('2018-03-27');
  });

  it('asks for a period plus a day on each side, in ranges of at most 31 days that share their boundary day', () => {
    const range = (from: string, to: string) => ({ from: isoDay(from) as number, to: isoDay(to) as number });
    const show = (ranges: Array<{ from: number; to: number }>) => ranges.map(({ from, to }) => `${formatJournal(from)}-${formatJournal(to)}`);
    expect(show(rangesFor(range('2026-11-02', '2026-11-29')))).toEqual(['01/11/2026-30/11/2026']);
    expect(show(rangesFor(range('2026-11-01', '2026-11-30')))).toEqual(['31/10/2026-16/11/2026', '16/11/2026-01/12/2026']);
    // One day: dateFrom must be less than dateTo, which the margins give.
    expect(show(rangesFor(range('2026-11-05', '2026-11-05')))).toEqual(['04/11/2026-06/11/2026']);
    const year = rangesFor(range('2026-01-01', '2026-12-31'));
    expect(year.every(({ from, to }) => to - from >= 1 && to - from <= 30)).toBe(true);
    expect(year.slice(1).every(({ from }, i) => from === year[i].to)).toBe(true);
    expect([year[0].from, year[year.length - 1].to]).toEqual([isoDay('2025-12-31'), isoDay('2027-01-01')]);
  });
});
