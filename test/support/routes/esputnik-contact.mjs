// Stand-in for eSputnik's Add/update a contact, `POST /api/v1/contact` (reference/esputnik.md §3): what the relay
// calls before a contact's first order. Basic auth with the API key, like every eSputnik method; the contact is
// found by any of its channels or its externalCustomerId and updated, or created (esputnik-state.mjs).
import { check, describe, exactKeys, isNonEmptyString, isObject } from '../schema-rules.mjs';
import { authorizeEsputnik } from './esputnik-auth.mjs';

const CONTACT_KEYS = ['channels', 'externalCustomerId', 'firstName', 'lastName'];

/**
 * The contact body: `channels` `[{type: 'email' | 'sms', value}]` (email an address, sms international digits),
 * `externalCustomerId` optional. At least one channel: eSputnik keeps contacts to reach them ("the contact base must
 * contain emails and/or phone numbers"), and its API marks channels required; a contact known by an external id
 * alone is refused here, as strictly as the real one may.
 * @param {unknown} body
 * @returns {string[]}
 */
export function validateEsputnikContact(body) {
  if (!isObject(body)) return [`body: expected object, got ${describe(body)}`];
  /** @type {string[]} */
  const errors = [];
  exactKeys(body, CONTACT_KEYS, '', errors);
  check(body, 'channels', Array.isArray, 'array', errors);
  if (Object.hasOwn(body, 'externalCustomerId')) check(body, 'externalCustomerId', isNonEmptyString, 'non-empty string', errors);
  if (!Array.isArray(body.channels)) return errors;
  if (body.channels.length === 0) errors.push('channels: expected at least one email or sms channel, got []');
  body.channels.forEach((channel, index) => {
    const path = `channels[${index}]`;
    if (!isObject(channel)) return errors.push(`${path}: expected object {type, value}, got ${describe(channel)}`);
    exactKeys(channel, ['type', 'value'], `${path}.`, errors);
    check(channel, 'type', (v) => v === 'email' || v === 'sms', '"email" or "sms"', errors, path);
    if (channel.type !== 'email' && channel.type !== 'sms') return;
    const test = channel.type === 'sms' ? (/** @type {unknown} */ v) => typeof v === 'string' && /^\d{7,15}$/.test(v)
      : (/** @type {unknown} */ v) => typeof v === 'string' && /^[^\s@]+@[^\s@]+$/.test(v);
    check(channel, 'value', test, channel.type === 'sms' ? 'international digits' : 'an email address', errors, path);
  });
  return errors;
}

/** @type {import('./index.mjs').Route} */
export const esputnikContact = {
  path: '/api/v1/contact',
  service: 'esputnik-contact',
  validate: validateEsputnikContact,
  classify: () => 'contact',
  authorize: authorizeEsputnik,
  take: (body, esputnik) => esputnik.saveContact(/** @type {{channels: Array<{type: string, value: string}>, externalCustomerId?: string}} */ (body)),
};
