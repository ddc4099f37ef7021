// Compiled by `tsc -p test` (npm run typecheck), never run: the typings of `createTag` accept every call form of
// SPEC §3 and refuse the mistakes a store's developer makes. Each @ts-expect-error fails the build if it stops erring.
import { createTag } from '../../src/index';

const ct = createTag({ accounts: [{ modId: 'abcd1234', calltouch: { siteId: 12345 }, esputnik: { siteId: '8A412DC' } }], consent: 'pending', timeZone: 'Asia/Yekaterinburg' });

ct('send_ecommerce', 'addToCart', { products: [{ id: 1003, name: 'USB-удлинитель', price: '150.50', quantity: 1 }] });
ct('abcd1234', 'send_ecommerce', 'purchase', { id: '10031004', products: [{ id: 1003, price: 150.5, quantity: 1 }], currency: 'RUB' });
ct('send_ecommerce', 'refund', { id: '10031004' });
ct('set_contact', { email: 'a@b.ru', phone: 79001234567 });
ct('set_contact', { email: 'a@b.ru', identity: 'eyJzdWIiOiJlbWFpbDphQGIucnUiLCJleHAiOjE4OTM0NTYwMDB9.c2ln' });
ct('consent', 'granted');
const params: unknown = ct('calltracking_params', 'abcd1234');
void params;
const flushed: Promise<void> = ct.flush();
void flushed;

// @ts-expect-error a misspelt method
ct('send_ecommerce', 'addToBasket', { products: [{ id: 1 }] });
// @ts-expect-error a misspelt method behind a mod_id
ct('abcd1234', 'send_ecommerce', 'purchse', { id: '1', products: [{ id: 1 }] });
// @ts-expect-error a product without id
ct('send_ecommerce', 'detail', { products: [{ name: 'USB-удлинитель' }] });
// @ts-expect-error a product without id, behind a mod_id
ct('abcd1234', 'send_ecommerce', 'detail', { products: [{ price: 1 }] });
// @ts-expect-error a contact field that is not one
ct('set_contact', { mail: 'a@b.ru' });
// @ts-expect-error the signed identity is the string the store's server issued
ct('set_contact', { email: 'a@b.ru', identity: { sub: 'email:a@b.ru' } });
// @ts-expect-error a time zone is its IANA name
createTag({ timeZone: 3 });
// @ts-expect-error consent is granted or denied
ct('consent', 'yes');
// @ts-expect-error an unknown configuration key's wrong value
createTag({ consent: 'maybe' });
