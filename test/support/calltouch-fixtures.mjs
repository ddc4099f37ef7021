// Valid Calltouch bodies taken from the sources, for unit, browser and fuzz
// tests. In the site body product ids are strings, as seed 000's field table
// types them ("10012", l.143-146); in the offline body an id of digits is a
// number, as that format's own example writes it ("id": 3, l.256) and asks
// for its types "strictly as in the example" (l.271).

/** The site-script body, as reference/calltouch.md shows it. */
export const sitePurchase = Object.freeze({
  siteId: 12345, sessionId: 987654321, modId: 'abcd1234', ctClientId: '…',
  eventType: 'purchase', id: '10031004',
  products: [{
    id: '1003', name: 'USB-удлинитель', price: 150.5, brand: 'xiaomi',
    category: 'кабели, шнуры, переходники', variant: 'длина шнура: 5м', margin: 150.5, quantity: 1,
  }],
  manager: null, fio: null, email: null, phoneNumber: null, comment: null, addTags: [],
});

/** The seed's `detail` call (two products, no quantity) in the site envelope. */
export const siteDetail = Object.freeze({
  siteId: 12345, sessionId: 987654321, modId: 'abcd1234', ctClientId: '…',
  eventType: 'detail',
  products: [
    { id: '1003', name: 'USB-удлинитель', price: 150.5, brand: 'xiaomi',
      category: 'кабели, шнуры, переходники', variant: 'длина шнура: 5м', margin: 150.5 },
    { id: '1005', name: 'Наушники', price: 2000, brand: 'JBL',
      category: 'Наушники проводные', variant: 'Черные', margin: 1000 },
  ],
  fio: null, email: null, phoneNumber: null, comment: null, addTags: [],
});

/** The seed's partial `refund` call in the site envelope. */
export const siteRefund = Object.freeze({
  siteId: 12345, sessionId: 987654321, modId: 'abcd1234', ctClientId: '…',
  eventType: 'refund', id: '10031004', products: [{ id: '1003', quantity: 1 }],
  fio: null, email: null, phoneNumber: null, comment: null, addTags: [],
});

/** Seed 000, offline purchase (l.250-266). */
export const offlinePurchase = Object.freeze({
  siteId: 12345, eventType: 'purchase', id: '5609',
  products: [{
    id: 3, name: 'USB-удлинитель', price: 101, brand: 'xiaomi',
    category: 'Элкабели, шнуры', variant: '3 м', margin: 100.25, quantity: 10,
  }],
});

/** Seed 000, full refund: no products (l.294-299). */
export const offlineFullRefund = Object.freeze({
  siteId: 25775, eventType: 'refund', id: '1000012', products: [],
});

/** Seed 000, partial refund (l.316-326). */
export const offlinePartialRefund = Object.freeze({
  siteId: 25775, eventType: 'refund', id: '1000013', products: [{ id: 3, quantity: 1 }],
});
