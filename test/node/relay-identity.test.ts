// The browser lane's rules about who an event is for (SPEC §6, "Signed identity"), on the handler: every event names
// a contact, and only a contact the store's server signed for; unsigned activity only where the store allows it;
// orders never unsigned; one contact's identity never carries another's events; per-contact limits; a refund only for
// the contact that placed the order. And signIdentity, checked against node:crypto and, where php is installed,
// against PHP's hash_hmac.
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signIdentity } from '../../src/relay/index';
import { identity, IDENTITY_SECRET } from '../support/identity.mjs';
import { addressed, signed, tagBodies, withParam, type TagBody } from '../support/relay-bodies.mjs';
import { CORS, corsOf, errorsOf, post, requestLogs, setup } from '../support/relay-handler';

const ANNA = 'email:anna@example.com';
const BOB = 'email:bob@example.com';
const anna = tagBodies(ANNA);
const bob = tagBodies(BOB, { orderId: 'B-1' });

/** One request, and what came of it: its status, its one reason, what reached eSputnik. */
const outcome = async (body: unknown, options: Parameters<typeof setup>[0] = {}) => {
  const { relay, forwarded, logs } = setup(options);
  const response = await relay(post(body));
  const result = { status: response.status, errors: response.status === 200 ? null : await errorsOf(response), forwarded: forwarded() };
  return { ...result, cors: corsOf(response), logs: requestLogs(logs) };
};

const refusedWith = (reason: string) => ({ status: 403, errors: [reason], forwarded: [] });

describe('signed identity: what passes', () => {
  it.each<[string, string, Record<string, string>]>([
    ['an email', ANNA, { email: 'anna@example.com' }],
    ['a phone', 'phone:79001234567', { phone: '79001234567' }],
    ['an externalCustomerId', 'ext:C-42', { externalCustomerId: 'C-42' }],
  ])('%s: every event type the tag sends, the identity removed, keyValue the contact', async (_, sub, contact) => {
    for (const [type, body] of Object.entries(tagBodies(sub))) {
      const result = await outcome(body);
      expect(result.status, type).toBe(200);
      const [event] = result.forwarded;
      expect(event).not.toHaveProperty('identity');
      expect(event.keyValue).toBe(Object.values(contact)[0]);
      expect(event.params.filter((param) => ['email', 'phone', 'externalCustomerId'].includes(param.name))).toEqual(Object.entries(contact).map(([name, value]) => ({ name, value })));
    }
  });

  it('matches an email as eSputnik does (trimmed, any case) and forwards it trimmed and lower-case', async () => {
    const body = { ...signed(anna.cartUpdated, ANNA), keyValue: ' Anna@Example.COM ' };
    const result = await outcome(withParam(body, 'email', 'ANNA@example.com'));
    expect(result.status).toBe(200);
    expect(result.forwarded[0].keyValue).toBe('anna@example.com');
    expect(result.forwarded[0].params[0]).toEqual({ name: 'email', value: 'anna@example.com' });
  });

  it('matches a phone by its digits and forwards them alone (international format)', async () => {
    const body = { ...signed(anna.cartUpdated, 'phone:79001234567'), keyValue: '+7 (900) 123-45-67' };
    const result = await outcome(withParam(withParam(body, 'email', undefined), 'phone', '+7 900 123 45 67'));
    expect(result.status).toBe(200);
    expect(result.forwarded[0].keyValue).toBe('79001234567');
    expect(result.forwarded[0].params.find((param) => param.name === 'phone')).toEqual({ name: 'phone', value: '79001234567' });
  });
});

describe('signed identity: what is refused, 403 with one reason that names the rule', () => {
  const other = 'a-different-secret-of-at-least-32-characters';
  const head = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');
  const cases: Array<[string, TagBody, string]> = [
    ['no identity: an order', addressed(anna.orderCreated, ANNA), 'identity is missing'],
    ['no identity: a refund', addressed(anna.orderCancelled, ANNA), 'identity is missing'],
    ['no identity: a cart change', addressed(anna.cartUpdated, ANNA), 'identity is missing'],
    ['no identity: a product view', addressed(anna.productViewed, ANNA), 'identity is missing'],
    ['expired', { ...anna.orderCreated, identity: identity(ANNA, { exp: Math.floor(Date.now() / 1000) - 1 }) }, 'identity has expired'],
    ['signed with another secret', { ...anna.orderCreated, identity: identity(ANNA, { secret: other }) }, 'identity signature is wrong'],
    [
      "another contact's sub under anna's signature",
      { ...anna.orderCreated, identity: `${head({ sub: BOB, exp: 2e9 })}.${anna.orderCreated.identity!.split('.')[1]}` },
      'identity signature is wrong',
    ],
    ['one part', { ...anna.orderCreated, identity: anna.orderCreated.identity!.split('.')[0] }, 'identity is malformed'],
    ['a signature of the wrong length', { ...anna.orderCreated, identity: `${anna.orderCreated.identity!}AA` }, 'identity is malformed'],
    ['a number', { ...anna.orderCreated, identity: 42 as unknown as string }, 'identity is malformed'],
    ['4 KB of it', { ...anna.orderCreated, identity: `${'A'.repeat(4000)}.${'A'.repeat(43)}` }, 'identity is malformed'],
    ['a payload that is no object', { ...anna.orderCreated, identity: identity('', { payload: 'not an object' }) }, 'identity is malformed'],
    ['a signature for another payload', { ...anna.orderCreated, identity: anna.orderCreated.identity!.replace(/^[^.]*/, 'bm90IGpzb24') }, 'identity signature is wrong'],
    ['a sub in upper case', { ...anna.orderCreated, identity: identity('email:Anna@Example.com') }, 'identity is malformed'],
    ['a sub of another kind', { ...anna.orderCreated, identity: identity('contactId:17') }, 'identity is malformed'],
    ['a phone sub with a plus', { ...anna.orderCreated, identity: identity('phone:+79001234567') }, 'identity is malformed'],
    ['exp a string', { ...anna.orderCreated, identity: identity(ANNA, { payload: { sub: ANNA, exp: '2000000000' } }) }, 'identity is malformed'],
    ['no exp', { ...anna.orderCreated, identity: identity(ANNA, { payload: { sub: ANNA } }) }, 'identity is malformed'],
    // Finding: anyone could name any contact. One shopper's identity carries no one else's events.
    ["anna's identity on bob's order", { ...addressed(bob.orderCreated, BOB), identity: anna.orderCreated.identity }, "the event's contact is not the identity's"],
    ["anna's identity replayed on bob's cart", { ...addressed(bob.cartUpdated, BOB), identity: anna.productViewed.identity }, "the event's contact is not the identity's"],
    ["bob as keyValue, anna's email param", { ...anna.cartUpdated, keyValue: 'bob@example.com' }, "the event's contact is not the identity's"],
    ['a second contact param of another kind', withParam(anna.cartUpdated, 'phone', '79001234567'), "the event's contact is not the identity's"],
    ['the same email under another locator name', withParam(anna.cartUpdated, 'EmailAddress', 'anna@example.com'), "the event's contact is not the identity's"],
    ["bob's email under a name eSputnik also reads (UserEmail)", withParam(anna.cartUpdated, 'UserEmail', 'bob@example.com'), "the event's contact is not the identity's"],
    ['a phone under SMS', withParam(anna.cartUpdated, 'SMS', '79001234567'), "the event's contact is not the identity's"],
    ["eSputnik's own contactId", withParam(anna.cartUpdated, 'contactId', '1234'), "the event's contact is not the identity's"],
    ['a pushToken', withParam(anna.cartUpdated, 'pushToken', 'abc'), "the event's contact is not the identity's"],
  ];

  it.each(cases)('%s', async (_, body, reason) => {
    const result = await outcome(body);
    expect({ status: result.status, errors: result.errors, forwarded: result.forwarded }).toEqual(refusedWith(reason));
    // The tag reads the status (and drops the letter: a retry cannot fix it).
    expect(result.cors).toEqual(CORS);
    expect(result.logs[0]).toMatchObject({ status: 403, level: 'warn', reason });
  });

  it('a refused identity is not taken as unsigned activity where the store allows that', async () => {
    const result = await outcome({ ...anna.cartUpdated, identity: identity(ANNA, { secret: 'a-different-secret-of-at-least-32-characters' }) }, { unsignedActivity: true });
    expect({ status: result.status, errors: result.errors, forwarded: result.forwarded }).toEqual(refusedWith('identity signature is wrong'));
  });
});

describe('unsigned activity (RELAY_UNSIGNED_ACTIVITY)', () => {
  it('without it, nothing unsigned passes', async () => {
    for (const body of [addressed(anna.productViewed, ANNA), addressed(anna.cartUpdated, ANNA)]) {
      expect((await outcome(body)).status).toBe(403);
    }
  });

  it('with it, unsigned productViewed and cartUpdated pass; orders never do', async () => {
    const options = { unsignedActivity: true };
    expect((await outcome(addressed(anna.productViewed, ANNA), options)).status).toBe(200);
    expect((await outcome(addressed(anna.cartUpdated, 'phone:79001234567'), options)).status).toBe(200);
    for (const body of [addressed(anna.orderCreated, ANNA), addressed(anna.orderCancelled, ANNA)]) {
      const result = await outcome(body, options);
      expect({ status: result.status, errors: result.errors, forwarded: result.forwarded }).toEqual(refusedWith('identity is missing'));
    }
  });

  it('with it, an unsigned event still names one contact, consistently', async () => {
    const options = { unsignedActivity: true };
    const cart = addressed(anna.cartUpdated, ANNA);
    for (const body of [{ ...cart, keyValue: 'bob@example.com' }, withParam(cart, 'phone', '79001234567'), withParam(cart, 'contactId', '7')]) {
      const result = await outcome(body, options);
      expect({ status: result.status, errors: result.errors }).toEqual({ status: 403, errors: ["the event's contact params disagree"] });
    }
    const keyValueOnly = await outcome(withParam(cart, 'email', undefined), options);
    expect({ status: keyValueOnly.status, errors: keyValueOnly.errors }).toEqual({ status: 403, errors: ['the event names its contact by no contact param'] });
  });
});

describe('without RELAY_IDENTITY_SECRET', () => {
  it('says so once at start, and refuses every event that needs an identity', async () => {
    const { relay, logs, sent } = setup({ identitySecret: undefined });
    expect(logs).toEqual([{ time: expect.any(String), level: 'warn', msg: 'no RELAY_IDENTITY_SECRET', reason: expect.stringContaining('every event is refused 403') }]);
    for (const body of Object.values(anna)) {
      const response = await relay(post(body));
      expect({ status: response.status, errors: await errorsOf(response) }).toEqual({ status: 403, errors: ['identity cannot be checked: the relay has no RELAY_IDENTITY_SECRET'] });
    }
    expect(sent).toEqual([]);
    expect(logs.filter((line) => line.msg === 'no RELAY_IDENTITY_SECRET')).toHaveLength(1);
  });

  it('takes unsigned activity where the store allows it, and says that at start', async () => {
    const { relay, logs } = setup({ identitySecret: undefined, unsignedActivity: true });
    expect(logs[0]).toMatchObject({ level: 'warn', msg: 'no RELAY_IDENTITY_SECRET', reason: expect.stringContaining('only unsigned productViewed and cartUpdated') });
    expect((await relay(post(addressed(anna.cartUpdated, ANNA)))).status).toBe(200);
    expect((await relay(post(anna.orderCreated))).status).toBe(403);
  });
});

describe('per contact', () => {
  // Finding: 60 cartUpdated for one email were all forwarded.
  it('limits events per contact (by default a burst of 30, then one each 2 s), whichever addresses they come from', async () => {
    const { relay, forwarded, advance } = setup({ rateLimit: false });
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await relay(post(anna.cartUpdated), { client: `203.0.113.${i}` })).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(30);
    expect(statuses.slice(30).every((status) => status === 429)).toBe(true);
    const refused = await relay(post(anna.cartUpdated));
    expect({ retryAfter: refused.headers.get('retry-after'), errors: await errorsOf(refused) }).toEqual({ retryAfter: '2', errors: ['too many events for this contact; retry in 2 s'] });
    // Another contact is served meanwhile; anna's next token comes in 2 s.
    expect((await relay(post(bob.cartUpdated))).status).toBe(200);
    advance(2000);
    expect((await relay(post(anna.cartUpdated))).status).toBe(200);
    expect(forwarded()).toHaveLength(32);
  });

  it('lets a refund through only for the contact that placed the order (as far as this relay saw it)', async () => {
    const { relay, forwarded } = setup();
    expect((await relay(post(anna.orderCreated))).status).toBe(200);
    const stranger = withParam(bob.orderCancelled, 'externalOrderId', '10031004');
    const response = await relay(post(stranger));
    expect({ status: response.status, errors: await errorsOf(response) }).toEqual({ status: 403, errors: ['the order belongs to another contact'] });
    expect((await relay(post(anna.orderCancelled))).status).toBe(200);
    expect(forwarded().map((event) => event.eventTypeKey)).toEqual(['orderCreated', 'orderCancelled']);
  });
});

describe('signIdentity', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('makes what node:crypto makes for the same sub and exp, and the relay takes it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T10:00:00Z'));
    const exp = Date.parse('2026-12-01T11:00:00Z') / 1000;
    expect(await signIdentity({ email: ' Anna@Example.com ' }, IDENTITY_SECRET, 3600)).toBe(identity(ANNA, { exp }));
    vi.useRealTimers();
    const made = await signIdentity({ email: 'anna@example.com', phone: '79001234567' }, IDENTITY_SECRET, 600);
    expect((await outcome({ ...addressed(anna.orderCreated, ANNA), identity: made })).status).toBe(200);
  });

  it.each<[string, Parameters<typeof signIdentity>[0], Record<string, string>]>([
    ['externalCustomerId first, as the tag picks keyValue; the channels signed beside it', { externalCustomerId: 42, email: 'A@b.ru', phone: '+7 900 123-45-67' }, { sub: 'ext:42', email: 'a@b.ru', phone: '79001234567' }],
    ['then the email, with the phone', { email: 'A@B.ru', phone: '79001234567' }, { sub: 'email:a@b.ru', phone: '79001234567' }],
    ['then the phone, as digits', { phone: '+7 (900) 123-45-67' }, { sub: 'phone:79001234567' }],
    ['a phone given as a number', { phone: 79001234567 }, { sub: 'phone:79001234567' }],
  ])('%s', async (_, contact, signed) => {
    const made = await signIdentity(contact, IDENTITY_SECRET, 60);
    const { exp, ...payload } = JSON.parse(Buffer.from(made.split('.')[0], 'base64url').toString());
    expect({ payload, exp: typeof exp }).toEqual({ payload: signed, exp: 'number' });
  });

  it.each<[string, Parameters<typeof signIdentity>, string]>([
    ['no contact', [{}, IDENTITY_SECRET, 60], 'the contact needs an externalCustomerId, an email or a phone eSputnik can match'],
    ['an email that is none', [{ email: '<script>' }, IDENTITY_SECRET, 60], 'the contact needs an externalCustomerId, an email or a phone eSputnik can match'],
    ['a channel beside the externalCustomerId that is none', [{ externalCustomerId: 'C-1', phone: 'call me' }, IDENTITY_SECRET, 60], "the contact's phone is not one eSputnik can match"],
    ['a short secret', [{ email: 'a@b.ru' }, 'short', 60], 'secret must be at least 32 characters'],
    ['no time to live', [{ email: 'a@b.ru' }, IDENTITY_SECRET, 0], 'ttlSeconds must be a whole number of seconds, at least 1'],
  ])('refuses %s', async (_, args, message) => {
    await expect(signIdentity(...args)).rejects.toThrow(message);
  });

  // The README's recipe for a PHP store; CI installs php-cli (DEVELOPERS.md), other machines may not have it.
  const php = (() => {
    try {
      execFileSync('php', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!php)('agrees with PHP’s hash_hmac recipe (skipped where php is not on PATH)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T10:00:00Z'));
    const recipe = `
      function base64url($s) { return rtrim(strtr(base64_encode($s), '+/', '-_'), '='); }
      $payload = ['sub' => $argv[1], 'exp' => (int) $argv[2]];
      if ($argv[4] !== '') $payload['email'] = $argv[4];
      if ($argv[5] !== '') $payload['phone'] = $argv[5];
      $head = base64url(json_encode($payload, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE));
      echo $head . '.' . base64url(hash_hmac('sha256', $head, $argv[3], true));`;
    const cases: Array<[Parameters<typeof signIdentity>[0], string, string, string]> = [
      [{ email: 'anna@example.com' }, ANNA, '', ''],
      [{ externalCustomerId: 'Клиент-42' }, 'ext:Клиент-42', '', ''],
      [{ phone: '79001234567' }, 'phone:79001234567', '', ''],
      [{ externalCustomerId: 'C-42', email: ' Anna@Example.com ', phone: '+7 900 123-45-67' }, 'ext:C-42', 'anna@example.com', '79001234567'],
    ];
    for (const [contact, sub, email, phone] of cases) {
      const exp = String(Math.floor(Date.now() / 1000) + 3600);
      const fromPhp = execFileSync('php', ['-r', recipe, '--', sub, exp, IDENTITY_SECRET, email, phone], { encoding: 'utf8' });
      expect(await signIdentity(contact, IDENTITY_SECRET, 3600)).toBe(fromPhp);
    }
  });
});
