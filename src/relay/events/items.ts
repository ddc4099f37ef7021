/**
 * An order's `items` (seed 001): eSputnik keeps them only when every line has externalItemId, name, quantity, cost,
 * url and imageUrl, and they add up to totalCost. They only describe the order, so an order whose items fall short
 * of that — or whose links point away from the store — is forwarded without them, and the log says why: no purchase
 * is lost to a descriptive field (SPEC §5), and no one else's link reaches the store's order mail.
 */
import { amount, array, count, hasLink, ID_LIMIT, json, object, text, TEXT_LIMIT, URL_LIMIT, type Check } from './shapes';

/** Hosts an item's url and imageUrl may name; null takes any (a lane that trusts its caller). */
export type ItemHosts = ReadonlySet<string> | null;

const link =
  (hosts: ItemHosts): Check<string> =>
  (value, path, errors) => {
    let url: URL | null = null;
    if (typeof value === 'string' && value.length <= URL_LIMIT) {
      try {
        url = new URL(value);
      } catch {
        // reported below
      }
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) errors.push(`${path} must be an http(s) URL`);
    else if (hosts && !hosts.has(url.hostname)) errors.push(`${path} is not on the store's hosts`);
    else return value as string;
  };

const name: Check<string> = (value, path, errors, notes) => {
  const checked = text(TEXT_LIMIT)(value, path, errors, notes);
  if (checked !== undefined && hasLink(checked)) errors.push(`${path} carries a link`);
  else return checked;
};

const itemsOf = (hosts: ItemHosts) =>
  json(
    array(
      object({
        externalItemId: text(ID_LIMIT),
        name,
        quantity: count,
        cost: amount,
        url: link(hosts),
        imageUrl: link(hosts),
      }),
    ),
    'array',
  );

/** eSputnik rounds each line to cents before it adds them up (issue 14); so does this check. */
const cents = (value: number) => Math.round(value * 100);

/**
 * The items as forwarded (a JSON string), or why the order goes without them. `totalCost` is the order's, as checked.
 */
export const orderItems = (value: unknown, totalCost: string | undefined, hosts: ItemHosts): { items: string } | { dropped: string } => {
  const problems: string[] = [];
  const items = itemsOf(hosts)(value, 'items', problems, []);
  if (items === undefined) return { dropped: problems[0] };
  const lines = JSON.parse(items) as Array<{ cost: number; quantity: number }>;
  if (lines.length === 0) return { dropped: 'items is empty' };
  const sum = lines.reduce((total, line) => total + cents(line.cost * line.quantity), 0);
  if (totalCost !== undefined && sum !== cents(Number(totalCost))) return { dropped: 'items do not add up to totalCost' };
  return { items };
};
