// The demo store's products. Names and descriptions in Russian (what the tag is sent, as a Russian store
// would) with an English line under them; prices as the strings a store's templates print ("150.50"), which
// the tag accepts and sends as numbers. Each picture is a small SVG drawn here, so the demo needs no asset.

/**
 * @typedef {object} Product
 * @property {string} id
 * @property {string} name        Russian, sent to the services
 * @property {string} nameEn
 * @property {string} price       as the store prints it, e.g. "150.50"
 * @property {string} brand
 * @property {string} category
 * @property {string} [variant]
 * @property {string} description
 * @property {string} descriptionEn
 * @property {string} svg         the picture, a complete SVG document
 */

/**
 * A picture: the product's shapes on a soft tile of its colour.
 * @param {string} tint background colour
 * @param {string} shapes SVG elements drawn on a 240×180 canvas
 */
const picture = (tint, shapes) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 180"><rect width="240" height="180" fill="${tint}"/>` +
  `<ellipse cx="120" cy="150" rx="70" ry="9" fill="#000" opacity=".08"/>${shapes}</svg>`;

/** @type {Product[]} */
export const products = [
  {
    id: '1003',
    name: 'USB-удлинитель',
    nameEn: 'USB extension cable',
    price: '150.50',
    brand: 'xiaomi',
    category: 'кабели',
    variant: '5 м',
    description: 'Пять метров до розетки: для ноутбука на диване и принтера в углу.',
    descriptionEn: 'Five metres to the socket: for the laptop on the sofa and the printer in the corner.',
    svg: picture('#e4efff', `
      <path d="M58 112c0-30 30-44 62-44s62 14 62 40-22 32-44 32-34-8-34-22 14-20 26-20" fill="none" stroke="#2f5bd3" stroke-width="7" stroke-linecap="round"/>
      <rect x="36" y="100" width="34" height="22" rx="4" fill="#1f3f99"/><rect x="22" y="104" width="16" height="14" rx="2" fill="#b7c3de"/>
      <rect x="26" y="108" width="8" height="6" fill="#1f3f99"/>`),
  },
  {
    id: '2104',
    name: 'Чайник «Самовар»',
    nameEn: 'Samovar electric kettle',
    price: '2490.00',
    brand: 'polaris',
    category: 'кухня',
    variant: '1,7 л',
    description: 'Закипает за три минуты и выключается сам. Стальной корпус, синяя подсветка.',
    descriptionEn: 'Boils in three minutes and switches itself off. Steel body, blue light.',
    svg: picture('#fff1df', `
      <path d="M78 64h84l10 78H68z" fill="#e0822f"/><rect x="64" y="138" width="112" height="10" rx="5" fill="#9b4f12"/>
      <path d="M162 78c26 0 30 40 6 48" fill="none" stroke="#9b4f12" stroke-width="9" stroke-linecap="round"/>
      <path d="M80 70 56 52" stroke="#e0822f" stroke-width="11" stroke-linecap="round"/>
      <rect x="100" y="50" width="40" height="14" rx="7" fill="#9b4f12"/><rect x="86" y="92" width="10" height="34" rx="5" fill="#ffd7ad"/>`),
  },
  {
    id: '2207',
    name: 'Кружка «Утро»',
    nameEn: '"Morning" mug',
    price: '390.00',
    brand: 'дулёво',
    category: 'посуда',
    description: 'Фарфор, 350 мл, рисунок не смывается в посудомойке.',
    descriptionEn: 'Porcelain, 350 ml, a pattern that survives the dishwasher.',
    svg: picture('#fde8ef', `
      <path d="M78 58h76v64a22 22 0 0 1-22 22h-32a22 22 0 0 1-22-22z" fill="#fff" stroke="#c2416b" stroke-width="5"/>
      <path d="M154 74c26 0 26 40 0 40" fill="none" stroke="#c2416b" stroke-width="8"/>
      <circle cx="116" cy="98" r="16" fill="#f6b73c"/><path d="M98 42c0-10 10-10 10-20M120 42c0-10 10-10 10-20" stroke="#d9a3b5" stroke-width="4" fill="none" stroke-linecap="round"/>`),
  },
  {
    id: '3012',
    name: 'Наушники беспроводные',
    nameEn: 'Wireless headphones',
    price: '4990.90',
    brand: 'sony',
    category: 'аудио',
    variant: 'чёрные',
    description: 'Тридцать часов музыки, шумоподавление и складные чашки.',
    descriptionEn: 'Thirty hours of music, noise cancelling and folding ear cups.',
    svg: picture('#e9e6ff', `
      <path d="M70 112V96a50 50 0 0 1 100 0v16" fill="none" stroke="#2b2650" stroke-width="10" stroke-linecap="round"/>
      <rect x="56" y="100" width="30" height="46" rx="12" fill="#5b4fd6"/><rect x="154" y="100" width="30" height="46" rx="12" fill="#5b4fd6"/>
      <rect x="64" y="110" width="8" height="26" rx="4" fill="#a79ff5"/><rect x="168" y="110" width="8" height="26" rx="4" fill="#a79ff5"/>`),
  },
  {
    id: '4401',
    name: 'Лампа настольная',
    nameEn: 'Desk lamp',
    price: '1750.00',
    brand: 'эра',
    category: 'свет',
    description: 'Тёплый свет без мерцания, гибкая ножка, сенсорная кнопка.',
    descriptionEn: 'Warm flicker-free light, a flexible arm and a touch switch.',
    svg: picture('#e5f6ec', `
      <path d="M150 66 96 104l28 36" fill="none" stroke="#1d6b45" stroke-width="7" stroke-linecap="round" stroke-linejoin="round"/>
      <path d="M134 44l44 22-22 26z" fill="#2f9e68"/><path d="M160 88l30 40" stroke="#ffe79a" stroke-width="16" opacity=".7" stroke-linecap="round"/>
      <rect x="92" y="138" width="64" height="10" rx="5" fill="#1d6b45"/>`),
  },
  {
    id: '5120',
    name: 'Рюкзак городской',
    nameEn: 'City backpack',
    price: '3200.00',
    brand: 'bobby',
    category: 'сумки',
    variant: '20 л',
    description: 'Отделение для ноутбука 15", скрытый карман и светоотражающие полосы.',
    descriptionEn: 'A 15" laptop sleeve, a hidden pocket and reflective stripes.',
    svg: picture('#e6f3f5', `
      <path d="M102 50a18 18 0 0 1 36 0" fill="none" stroke="#1c5560" stroke-width="7"/>
      <rect x="78" y="48" width="84" height="100" rx="22" fill="#2a8595"/><rect x="92" y="100" width="56" height="36" rx="10" fill="#1c5560"/>
      <rect x="92" y="112" width="56" height="5" fill="#d9f1f4"/><rect x="104" y="66" width="32" height="6" rx="3" fill="#9fd4dc"/>`),
  },
];

/** @param {string} id @returns {Product | undefined} */
export const productById = (id) => products.find((product) => product.id === id);
