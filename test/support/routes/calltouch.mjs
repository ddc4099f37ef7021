// Stand-in for https://mod.calltouch.ru/ecommerce.php.
import { classifyCalltouch, validateCalltouch } from '../calltouch-schema.mjs';

/** @type {import('./index.mjs').Route} */
export const calltouch = {
  path: '/calltouch/ecommerce.php',
  service: 'calltouch',
  validate: validateCalltouch,
  classify: classifyCalltouch,
};
