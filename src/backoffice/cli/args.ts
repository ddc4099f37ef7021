/**
 * `ecomtag-order`'s command line → one order change. The token is never an option: a cron line or a shell history
 * would keep it, so it is read from the environment only, and a value that is not one of ours is never repeated.
 */
import { parseArgs as parse } from 'node:util';
import type { BackofficeContact, BackofficeOrder, BackofficeStatus } from '../types';

export const USAGE = `Usage: ECOMTAG_RELAY_URL=… RELAY_BACKOFFICE_TOKEN=… ecomtag-order --status STATUS --id ID [options]

Tells the relay's back office (POST /backoffice/orders) that an order changed; it goes on to eSputnik and Calltouch.
  --status STATUS          in_progress, delivered, cancelled, refunded or updated
  --id ID                  the order's id: what the thank-you page passed to purchase
  --date DATE              when it was placed, YYYY-MM-DDTHH:mm:ss in the store's time
  --products JSON          its lines as they now stand: [{"id":1003,"name":"…","price":150.5,"quantity":1}]
  --refund-products JSON   with --status refunded, the lines given back: [{"id":1003,"quantity":1}]
                           (without it, the whole order)
  --contact-email EMAIL, --contact-phone PHONE, --contact-external-id ID, --contact-name NAME
  --origin offline         the order never passed a page with the tag (phone, marketplace): its purchase goes to Calltouch
  --retries N              tries after the first for what the relay answers retryable (default 5; 0 to fail fast)
  --json                   print the relay's answer as JSON
Exit: 0 sent, 1 refused by eSputnik or Calltouch, 2 bad input, or not delivered after retries.
`;

const OPTIONS = {
  status: { type: 'string' },
  id: { type: 'string' },
  date: { type: 'string' },
  products: { type: 'string' },
  'refund-products': { type: 'string' },
  'contact-email': { type: 'string' },
  'contact-phone': { type: 'string' },
  'contact-external-id': { type: 'string' },
  'contact-name': { type: 'string' },
  origin: { type: 'string' },
  retries: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const STATUSES: readonly BackofficeStatus[] = ['in_progress', 'delivered', 'cancelled', 'refunded', 'updated'];

/** A JSON list from an option, or the problem with it. */
const jsonList = (name: string, text: string | undefined, problems: string[], shape: string): unknown[] | undefined => {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value)) return value;
  } catch {
    // said below
  }
  problems.push(`--${name} must be a JSON list: ${shape}`);
  return undefined;
};

export interface CliArgs {
  order: BackofficeOrder;
  json: boolean;
  retries?: number;
}

export const parseArgs = (argv: readonly string[]): { help: true } | CliArgs | { problems: string[] } => {
  let values;
  try {
    ({ values } = parse({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    // node:util's messages quote the argument; a name of ours is safe to repeat, anything else may be a secret.
    const code = (error as { code?: string }).code;
    const name = /'(-{1,2}[\w-]+)/.exec((error as Error).message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && name && /^--(token|relay-token|backoffice-token)$/.test(name)) return { problems: [`unknown option ${name}: the token is read from RELAY_BACKOFFICE_TOKEN only`] };
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return { problems: ['unknown option: see --help'] };
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return { problems: ['unexpected argument: options start with --'] };
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && name && name.slice(2) in OPTIONS) return { problems: [`${name} needs a value`] };
    return { problems: ['the options could not be read: see --help'] };
  }
  if (values.help) return { help: true };
  const problems: string[] = [];
  if (values.status === undefined) problems.push('--status is required');
  else if (!(STATUSES as readonly string[]).includes(values.status)) problems.push(`--status must be one of ${STATUSES.join(', ')}`);
  if (values.id === undefined || values.id.trim() === '') problems.push('--id is required');
  if (values.origin !== undefined && values.origin !== 'offline' && values.origin !== 'site') problems.push('--origin must be offline (or site, the default)');
  if (values['refund-products'] !== undefined && values.status !== 'refunded') problems.push('--refund-products goes with --status refunded');
  if (values.retries !== undefined && !/^(\d|1\d|20)$/.test(values.retries)) problems.push('--retries must be a whole number from 0 to 20');
  const products = jsonList('products', values.products, problems, '[{"id":1003,"price":150.5,"quantity":1}]');
  const returned = jsonList('refund-products', values['refund-products'], problems, '[{"id":1003,"quantity":1}]');
  if (problems.length > 0) return { problems };

  const contact: BackofficeContact = {
    ...(values['contact-email'] !== undefined && { email: values['contact-email'] }),
    ...(values['contact-phone'] !== undefined && { phone: values['contact-phone'] }),
    ...(values['contact-external-id'] !== undefined && { externalCustomerId: values['contact-external-id'] }),
    ...(values['contact-name'] !== undefined && { name: values['contact-name'] }),
  };
  const order: BackofficeOrder = {
    id: values.id!.trim(),
    status: values.status as BackofficeStatus,
    ...(values.date !== undefined && { date: values.date }),
    ...(Object.keys(contact).length > 0 && { contact }),
    // Shapes are the relay's to check, field by field; its reasons come back as they are.
    ...(products && { products: products as BackofficeOrder['products'] }),
    ...(returned && { refund: { products: returned as NonNullable<BackofficeOrder['refund']>['products'] } }),
    ...(values.origin === 'offline' && { origin: 'offline' as const }),
  };
  return { order, json: values.json === true, ...(values.retries !== undefined && { retries: Number(values.retries) }) };
};
