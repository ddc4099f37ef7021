import { DEFAULT_API_URL, DEFAULT_ECOMMERCE_URL } from '../reconcile';

/**
 * The command line: `--name value` or `--name=value`. Every problem is collected, so one run names them all. The
 * token is never an option: a value that is not one of ours is never repeated, in case it is the token typed in.
 */

export interface CliArgs {
  siteId: number;
  from: string;
  to: string;
  orders: string;
  json: boolean;
  repair: boolean;
  yes: boolean;
  apiUrl?: string;
  ecommerceUrl?: string;
}

export const USAGE = `Usage: CALLTOUCH_API_TOKEN=… ecomtag-reconcile --site-id N --from YYYY-MM-DD --to YYYY-MM-DD --orders FILE
                         [--json] [--repair [--yes]] [--api-url URL] [--ecommerce-url URL]

Checks which of the store's orders reached Calltouch's deal journal, and sends the missing ones (--repair --yes).
  --site-id N          Calltouch's site id
  --from, --to         the period, both days included
  --orders FILE        CSV (order_id,date,product_id,name,price,quantity) or JSON ([{id, date, products}])
  --json               print one JSON object instead of the table
  --repair             show the offline purchases that would send the missing orders
  --yes                with --repair: send them (noted in FILE.reconcile-journal.jsonl, never sent twice)
  --api-url URL        default ${DEFAULT_API_URL}
  --ecommerce-url URL  default ${DEFAULT_ECOMMERCE_URL}
Exit: 0 all matched, 1 missing or mismatched, 2 bad input or a failure of Calltouch's API.
`;

const VALUES = ['--site-id', '--from', '--to', '--orders', '--api-url', '--ecommerce-url'] as const;
const FLAGS = ['--json', '--repair', '--yes'] as const;
type ValueName = (typeof VALUES)[number];

export const parseArgs = (argv: readonly string[]): { help: true } | { args: CliArgs } | { problems: string[] } => {
  if (argv.includes('--help') || argv.includes('-h')) return { help: true };
  const problems: string[] = [];
  const values = new Map<ValueName, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const equals = arg.indexOf('=');
    const name = arg.startsWith('--') && equals > 0 ? arg.slice(0, equals) : arg;
    if ((VALUES as readonly string[]).includes(name)) {
      const value = name === arg ? argv[i + 1] : arg.slice(equals + 1);
      if (name === arg) i += 1;
      if (value === undefined || (name === arg && value.startsWith('--'))) {
        problems.push(`${name} needs a value`);
        if (value !== undefined) i -= 1;
      } else if (values.has(name as ValueName)) problems.push(`${name} is given twice`);
      else values.set(name as ValueName, value);
    } else if ((FLAGS as readonly string[]).includes(arg)) flags.add(arg);
    else if (arg.startsWith('--')) problems.push(`unknown option ${name}${name === '--token' || name === '--client-api-id' ? ' (the token is read from CALLTOUCH_API_TOKEN only)' : ''}`);
    else problems.push(`unexpected argument number ${i + 1}: options start with --`);
  }
  for (const name of ['--site-id', '--from', '--to', '--orders'] as const) if (!values.has(name)) problems.push(`${name} is required`);
  const siteId = values.get('--site-id');
  if (siteId !== undefined && !/^\d{1,15}$/.test(siteId)) problems.push(`--site-id must be a number, got ${JSON.stringify(siteId)}`);
  if (flags.has('--yes') && !flags.has('--repair')) problems.push('--yes goes with --repair');
  if (problems.length) return { problems };
  return {
    args: {
      siteId: Number(siteId),
      from: values.get('--from') as string,
      to: values.get('--to') as string,
      orders: values.get('--orders') as string,
      json: flags.has('--json'),
      repair: flags.has('--repair'),
      yes: flags.has('--yes'),
      apiUrl: values.get('--api-url'),
      ecommerceUrl: values.get('--ecommerce-url'),
    },
  };
};
