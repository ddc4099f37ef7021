___TERMS_OF_SERVICE___

By creating or modifying this file you agree to Google Tag Manager's Community
Template Gallery Developer Terms of Service available at
https://developers.google.com/tag-manager/gallery-tos (or such other URL as
Google may provide), as modified from time to time.


___INFO___

{
  "type": "TAG",
  "id": "cvt_temp_public_id",
  "version": 1,
  "securityGroups": [],
  "displayName": "ecomtag: e-commerce to Calltouch and eSputnik",
  "categories": [
    "ANALYTICS",
    "CONVERSIONS",
    "EMAIL_MARKETING"
  ],
  "brand": {
    "id": "brand_dummy",
    "displayName": "ecomtag"
  },
  "description": "Installs ecomtag, which delivers detail, addToCart, removeFromCart, checkout, purchase and refund to Calltouch and eSputnik exactly once, or sends one such call from GA4 dataLayer variables.",
  "containerContexts": [
    "WEB"
  ]
}


___TEMPLATE_PARAMETERS___

[
  {
    "type": "RADIO",
    "name": "mode",
    "displayName": "This tag",
    "simpleValueType": true,
    "defaultValue": "install",
    "radioItems": [
      {
        "value": "install",
        "displayValue": "Installs ecomtag",
        "help": "Fire it on every page, as early as you can (trigger: Initialization - All Pages). It creates the global, sets the configuration and loads the bundle."
      },
      {
        "value": "send",
        "displayValue": "Sends one call",
        "help": "Fire it on an e-commerce event (for example a Custom Event trigger on view_item|add_to_cart|remove_from_cart|begin_checkout|purchase|refund). A call made before the bundle has loaded waits in the queue."
      }
    ]
  },
  {
    "type": "TEXT",
    "name": "globalName",
    "displayName": "Global name",
    "simpleValueType": true,
    "defaultValue": "ct",
    "help": "The global function the store's code calls: ct('send_ecommerce', …). The permission \"Accesses global variables\" lists ct, ct.q, ct.ecomtag and ct.c: for another name, change those four keys to it. Calltouch's own script also uses ct: keep one of the two names different (see the README).",
    "valueValidators": [
      {
        "type": "NON_EMPTY"
      },
      {
        "type": "REGEX",
        "args": [
          "^[A-Za-z_$][0-9A-Za-z_$]*$"
        ],
        "errorMessage": "A JavaScript identifier, such as ct or ecom."
      }
    ]
  },
  {
    "type": "GROUP",
    "name": "installation",
    "displayName": "Installation",
    "groupStyle": "NO_ZIPPY",
    "enablingConditions": [
      {
        "paramName": "mode",
        "paramValue": "install",
        "type": "EQUALS"
      }
    ],
    "subParams": [
      {
        "type": "TEXT",
        "name": "bundleUrl",
        "displayName": "Bundle URL",
        "simpleValueType": true,
        "help": "Where the tag is served from, over https: dist/ecomtag.js, or dist/ecomtag.calltouch.js (a third smaller) for a store that sends to Calltouch alone and reads no dataLayer; an account with an eSputnik site ID or a dataLayer name needs dist/ecomtag.js. The permission \"Injects scripts\" must allow it: it allows both files on https://cdn.jsdelivr.net/npm/ecomtag@*/dist/; for your own site or CDN, add its URL there.",
        "valueValidators": [
          {
            "type": "NON_EMPTY"
          },
          {
            "type": "REGEX",
            "args": [
              "^https://[^\\s#]+$"
            ],
            "errorMessage": "An https URL without a #fragment."
          }
        ]
      },
      {
        "type": "SIMPLE_TABLE",
        "name": "accounts",
        "displayName": "Accounts",
        "newRowButtonText": "Add account",
        "help": "One row per Calltouch account on the site; the first one gets the calls made without a mod_id. Calltouch siteId enables the offline format for purchases whose session never appears. eSputnik siteId sends the account's calls to eSputnik too. No rows: one account, Calltouch only.",
        "simpleTableColumns": [
          {
            "type": "TEXT",
            "name": "modId",
            "displayName": "Calltouch mod_id",
            "defaultValue": "",
            "valueValidators": [
              {
                "type": "REGEX",
                "args": [
                  "^([0-9a-z]{8})?$"
                ],
                "errorMessage": "8 characters of 0-9 and a-z, or empty."
              }
            ]
          },
          {
            "type": "TEXT",
            "name": "calltouchSiteId",
            "displayName": "Calltouch siteId",
            "defaultValue": "",
            "valueValidators": [
              {
                "type": "REGEX",
                "args": [
                  "^([1-9][0-9]*)?$"
                ],
                "errorMessage": "A positive whole number, or empty."
              }
            ]
          },
          {
            "type": "SELECT",
            "name": "calltouch",
            "displayName": "Send to Calltouch",
            "defaultValue": "on",
            "selectItems": [
              {
                "value": "on",
                "displayValue": "yes"
              },
              {
                "value": "off",
                "displayValue": "no"
              }
            ]
          },
          {
            "type": "TEXT",
            "name": "esputnikSiteId",
            "displayName": "eSputnik siteId",
            "defaultValue": ""
          }
        ]
      },
      {
        "type": "GROUP",
        "name": "calltouchSettings",
        "displayName": "Calltouch",
        "groupStyle": "ZIPPY_CLOSED",
        "subParams": [
          {
            "type": "TEXT",
            "name": "calltouchEndpoint",
            "displayName": "Endpoint",
            "simpleValueType": true,
            "help": "Empty: https://mod.calltouch.ru/ecommerce.php",
            "valueValidators": [
              {
                "type": "REGEX",
                "args": [
                  "^((https?:)?//[^\\s]+)?$"
                ],
                "errorMessage": "An http(s) URL, or empty."
              }
            ]
          },
          {
            "type": "TEXT",
            "name": "calltouchGlobal",
            "displayName": "Calltouch script's global",
            "simpleValueType": true,
            "help": "The name Calltouch's own script is installed under. Empty: ct.",
            "valueValidators": [
              {
                "type": "REGEX",
                "args": [
                  "^([A-Za-z_$][0-9A-Za-z_$]*)?$"
                ],
                "errorMessage": "A JavaScript identifier, or empty."
              }
            ]
          },
          {
            "type": "TEXT",
            "name": "sessionWaitMs",
            "displayName": "Session wait (ms)",
            "simpleValueType": true,
            "help": "How long a purchase waits for Calltouch's session before going out in the offline format. Empty: 10000.",
            "valueValidators": [
              {
                "type": "REGEX",
                "args": [
                  "^([0-9]+)?$"
                ],
                "errorMessage": "A whole number of milliseconds, or empty."
              }
            ]
          }
        ]
      },
      {
        "type": "GROUP",
        "name": "esputnikSettings",
        "displayName": "eSputnik",
        "groupStyle": "ZIPPY_CLOSED",
        "subParams": [
          {
            "type": "SELECT",
            "name": "esputnikFormat",
            "displayName": "Format",
            "simpleValueType": true,
            "defaultValue": "tracker",
            "selectItems": [
              {
                "value": "tracker",
                "displayValue": "tracker (eSputnik's tracker API)"
              },
              {
                "value": "event",
                "displayValue": "event (Generate event v2 through your relay)"
              }
            ]
          },
          {
            "type": "TEXT",
            "name": "esputnikEndpoint",
            "displayName": "Endpoint",
            "simpleValueType": true,
            "help": "In the event format, the URL of your relay (required). Empty in the tracker format: https://tracker.esputnik.com/api/v2",
            "valueValidators": [
              {
                "type": "REGEX",
                "args": [
                  "^((https?:)?//[^\\s]+)?$"
                ],
                "errorMessage": "An http(s) URL, or empty."
              }
            ]
          }
        ]
      },
      {
        "type": "TEXT",
        "name": "currency",
        "displayName": "Currency",
        "simpleValueType": true,
        "help": "ISO 4217 code for eSputnik. Empty: RUB.",
        "valueValidators": [
          {
            "type": "REGEX",
            "args": [
              "^([A-Z]{3})?$"
            ],
            "errorMessage": "Three capital letters, such as RUB, or empty."
          }
        ]
      },
      {
        "type": "TEXT",
        "name": "timeZone",
        "displayName": "Time zone of the store's order dates",
        "simpleValueType": true,
        "help": "The IANA time zone eSputnik's order dates are written in, such as Europe/Moscow or Asia/Yekaterinburg. Empty: Europe/Moscow.",
        "valueValidators": [
          {
            "type": "REGEX",
            "args": [
              "^([A-Za-z_]+(/[A-Za-z0-9_+-]+)*)?$"
            ],
            "errorMessage": "An IANA time zone name, such as Europe/Moscow, or empty."
          }
        ]
      },
      {
        "type": "TEXT",
        "name": "dataLayerName",
        "displayName": "Read e-commerce from the dataLayer",
        "simpleValueType": true,
        "help": "The name of a dataLayer (usually dataLayer) whose GA4, Universal Analytics or Metrica e-commerce pushes the tag sends by itself. Leave it empty when tags of this template send the calls, or every event is sent twice.",
        "valueValidators": [
          {
            "type": "REGEX",
            "args": [
              "^([A-Za-z_$][0-9A-Za-z_$]*)?$"
            ],
            "errorMessage": "A JavaScript identifier, or empty."
          }
        ]
      },
      {
        "type": "CHECKBOX",
        "name": "debug",
        "checkboxText": "Log every call and delivery to the console",
        "simpleValueType": true
      }
    ]
  },
  {
    "type": "GROUP",
    "name": "call",
    "displayName": "The call",
    "groupStyle": "NO_ZIPPY",
    "enablingConditions": [
      {
        "paramName": "mode",
        "paramValue": "send",
        "type": "EQUALS"
      }
    ],
    "subParams": [
      {
        "type": "SELECT",
        "name": "method",
        "displayName": "Method",
        "simpleValueType": true,
        "macrosInSelect": true,
        "help": "Or a variable holding one of these, or a GA4 event name (view_item, add_to_cart, remove_from_cart, begin_checkout, purchase, refund), such as {{Event}}.",
        "selectItems": [
          {
            "value": "detail",
            "displayValue": "detail"
          },
          {
            "value": "addToCart",
            "displayValue": "addToCart"
          },
          {
            "value": "removeFromCart",
            "displayValue": "removeFromCart"
          },
          {
            "value": "checkout",
            "displayValue": "checkout"
          },
          {
            "value": "purchase",
            "displayValue": "purchase"
          },
          {
            "value": "refund",
            "displayValue": "refund"
          },
          {
            "value": "set_contact",
            "displayValue": "set_contact"
          }
        ],
        "valueValidators": [
          {
            "type": "NON_EMPTY"
          }
        ]
      },
      {
        "type": "TEXT",
        "name": "callModId",
        "displayName": "mod_id",
        "simpleValueType": true,
        "help": "Sends the call to this account only. Empty: the first account.",
        "valueValidators": [
          {
            "type": "REGEX",
            "args": [
              "^([0-9a-z]{8})?$"
            ],
            "errorMessage": "8 characters of 0-9 and a-z, or empty."
          }
        ],
        "enablingConditions": [
          {
            "paramName": "method",
            "paramValue": "set_contact",
            "type": "NOT_EQUALS"
          }
        ]
      },
      {
        "type": "TEXT",
        "name": "transactionId",
        "displayName": "Transaction id",
        "simpleValueType": true,
        "help": "Required for purchase and refund, e.g. {{DLV - ecommerce.transaction_id}}.",
        "enablingConditions": [
          {
            "paramName": "method",
            "paramValue": "set_contact",
            "type": "NOT_EQUALS"
          }
        ]
      },
      {
        "type": "TEXT",
        "name": "products",
        "displayName": "Products",
        "simpleValueType": true,
        "help": "A variable holding the list of products, e.g. {{DLV - ecommerce.items}}. May be empty for a full refund.",
        "enablingConditions": [
          {
            "paramName": "method",
            "paramValue": "set_contact",
            "type": "NOT_EQUALS"
          }
        ]
      },
      {
        "type": "SELECT",
        "name": "productsFormat",
        "displayName": "Products are",
        "simpleValueType": true,
        "defaultValue": "ga4",
        "enablingConditions": [
          {
            "paramName": "method",
            "paramValue": "set_contact",
            "type": "NOT_EQUALS"
          }
        ],
        "selectItems": [
          {
            "value": "ga4",
            "displayValue": "GA4 items (item_id, item_name, price, quantity, item_brand, item_category…)"
          },
          {
            "value": "ecomtag",
            "displayValue": "ecomtag products (id, name, price, quantity, brand, category…)"
          }
        ]
      },
      {
        "type": "TEXT",
        "name": "contactEmail",
        "displayName": "Email",
        "simpleValueType": true,
        "enablingConditions": [
          {
            "paramName": "method",
            "paramValue": "set_contact",
            "type": "EQUALS"
          }
        ]
      },
      {
        "type": "TEXT",
        "name": "contactPhone",
        "displayName": "Phone",
        "simpleValueType": true,
        "enablingConditions": [
          {
            "paramName": "method",
            "paramValue": "set_contact",
            "type": "EQUALS"
          }
        ]
      },
      {
        "type": "TEXT",
        "name": "contactExternalId",
        "displayName": "External customer id",
        "simpleValueType": true,
        "enablingConditions": [
          {
            "paramName": "method",
            "paramValue": "set_contact",
            "type": "EQUALS"
          }
        ]
      },
      {
        "type": "TEXT",
        "name": "contactName",
        "displayName": "Name",
        "simpleValueType": true,
        "enablingConditions": [
          {
            "paramName": "method",
            "paramValue": "set_contact",
            "type": "EQUALS"
          }
        ]
      },
      {
        "type": "TEXT",
        "name": "contactIdentity",
        "displayName": "Signed identity",
        "simpleValueType": true,
        "help": "For eSputnik's event format: the identity the store's server signed for this contact (the relay's signIdentity), usually a Data Layer Variable the page's code pushed.",
        "enablingConditions": [
          {
            "paramName": "method",
            "paramValue": "set_contact",
            "type": "EQUALS"
          }
        ]
      }
    ]
  }
]


___SANDBOXED_JS_FOR_WEB_TEMPLATE___

const callInWindow = require('callInWindow');
const copyFromWindow = require('copyFromWindow');
const createArgumentsQueue = require('createArgumentsQueue');
const getType = require('getType');
const injectScript = require('injectScript');
const logToConsole = require('logToConsole');
const makeInteger = require('makeInteger');
const makeString = require('makeString');
const queryPermission = require('queryPermission');
const setInWindow = require('setInWindow');

// The global the store's calls go through (`ct` unless renamed): a queue until
// the bundle loads and takes it over, replaying what was queued in order.
const name = data.globalName;

const METHODS = ['detail', 'addToCart', 'removeFromCart', 'checkout', 'purchase', 'refund'];
// A method may also come as the GA4 event name, e.g. from {{Event}}.
const GA4_EVENTS = {
  view_item: 'detail',
  add_to_cart: 'addToCart',
  remove_from_cart: 'removeFromCart',
  begin_checkout: 'checkout',
  purchase: 'purchase',
  refund: 'refund'
};

// An empty field arrives as '' (a variable may give undefined or null): not given.
const given = (value) => value !== undefined && value !== null && value !== '';

// Sets the [key, value] entries whose value is given on `target`.
const setGiven = (target, entries) => {
  entries.forEach((entry) => {
    if (given(entry[1])) target[entry[0]] = entry[1];
  });
  return target;
};

// Fails the tag with one line in the console (preview mode).
const fail = (reason) => {
  logToConsole('ecomtag: ' + reason);
  data.gtmOnFailure();
};

// The global's keys this tag uses, with the access it needs: checked before
// anything is touched, so a renamed global names the keys to add.
const deniedGlobals = (keys) => {
  return keys.filter((key) => !queryPermission('access_globals', key[1], key[0]))
    .map((key) => key[0] + ' (' + key[1] + ')');
};

// window[name] is ecomtag's when it carries `ecomtag` (the snippet's stub, the
// bundle, or this template); nothing there: this tag creates the queue.
const claimGlobal = () => {
  if (copyFromWindow(name + '.ecomtag')) return '';
  if (copyFromWindow(name) !== undefined) {
    return 'window.' + name + ' is taken by another script; ecomtag is not installed' +
      (name === 'ct' ? ' (Calltouch\'s own script is ct too: rename one of the two)' : '');
  }
  createArgumentsQueue(name, name + '.q');
  setInWindow(name + '.ecomtag', 1, true);
  return '';
};

const account = (row) => {
  const result = {};
  if (given(row.modId)) result.modId = row.modId;
  if (row.calltouch === 'off') result.calltouch = false;
  else if (given(row.calltouchSiteId)) result.calltouch = {siteId: makeInteger(row.calltouchSiteId)};
  if (given(row.esputnikSiteId)) result.esputnik = {siteId: makeString(row.esputnikSiteId)};
  return result;
};

// The configuration object of README's Configuration table (SPEC §4).
const configuration = () => {
  const config = {};
  if (data.accounts && data.accounts.length) config.accounts = data.accounts.map(account);
  config.calltouch = setGiven({}, [
    ['endpoint', data.calltouchEndpoint],
    ['global', data.calltouchGlobal],
    ['sessionWaitMs', given(data.sessionWaitMs) ? makeInteger(data.sessionWaitMs) : undefined]
  ]);
  config.esputnik = setGiven({}, [['format', data.esputnikFormat], ['endpoint', data.esputnikEndpoint]]);
  setGiven(config, [['currency', data.currency], ['timeZone', data.timeZone], ['dataLayer', data.dataLayerName]]);
  if (data.debug) config.debug = true;
  return config;
};

const install = () => {
  if (!given(data.bundleUrl)) return 'the bundle URL is empty';
  // The bundle finds a global with another name in its URL's fragment.
  const src = name === 'ct' ? data.bundleUrl : data.bundleUrl + '#' + name;
  if (!queryPermission('inject_script', src)) return 'add ' + src + ' to the "Injects scripts" permission';
  const denied = deniedGlobals([[name, 'readwrite'], [name + '.q', 'readwrite'], [name + '.ecomtag', 'readwrite'],
    [name + '.c', 'readwrite']]);
  if (denied.length) return 'add ' + denied.join(', ') + ' to the "Accesses global variables" permission';
  const taken = claimGlobal();
  if (taken) return taken;
  // The first installation's configuration wins, as when the snippet is pasted twice.
  if (!setInWindow(name + '.c', configuration(), false) && data.debug) {
    logToConsole('ecomtag: window.' + name + ' already has a configuration; this tag\'s is not used');
  }
  // One script element for every install tag on the page (the cache token).
  injectScript(src, data.gtmOnSuccess, data.gtmOnFailure, src);
  return '';
};

const ga4Product = (item) => {
  if (getType(item) !== 'object') return item;
  // reference/datalayer.md: GA4 item fields to product fields, the categories joined with "/".
  const categories = [item.item_category, item.item_category2, item.item_category3, item.item_category4,
    item.item_category5].filter(given);
  return setGiven({}, [
    ['id', item.item_id], ['name', item.item_name], ['price', item.price], ['quantity', item.quantity],
    ['brand', item.item_brand], ['category', categories.join('/')], ['variant', item.item_variant],
    ['discount', item.discount]
  ]);
};

const send = () => {
  const denied = deniedGlobals([[name, 'readwrite'], [name, 'execute'], [name + '.q', 'readwrite'],
    [name + '.ecomtag', 'readwrite']]);
  if (denied.length) return 'add ' + denied.join(', ') + ' to the "Accesses global variables" permission';
  const method = METHODS.indexOf(data.method) >= 0 ? data.method : GA4_EVENTS[data.method];
  if (data.method !== 'set_contact' && getType(method) !== 'string') {
    return 'unknown method ' + makeString(data.method) + ': use ' + METHODS.join(', ') + ', set_contact or a GA4 event name';
  }
  if (given(data.products) && getType(data.products) !== 'array') {
    return 'products must be an array (a variable holding one), got ' + getType(data.products);
  }
  // Before the bundle has loaded (or without the install tag yet), the call waits in the queue.
  const taken = claimGlobal();
  if (taken) return taken;
  if (data.method === 'set_contact') {
    callInWindow(name, 'set_contact', setGiven({}, [['email', data.contactEmail], ['phone', data.contactPhone],
      ['externalCustomerId', data.contactExternalId], ['name', data.contactName], ['identity', data.contactIdentity]]));
    return '';
  }
  const params = setGiven({}, [['id', data.transactionId]]);
  if (given(data.products)) params.products = data.productsFormat === 'ga4' ? data.products.map(ga4Product) : data.products;
  if (given(data.callModId)) callInWindow(name, data.callModId, 'send_ecommerce', method, params);
  else callInWindow(name, 'send_ecommerce', method, params);
  return '';
};

const problem = data.mode === 'send' ? send() : install();
if (problem) {
  fail(problem);
} else if (data.mode === 'send') {
  data.gtmOnSuccess();
}


___WEB_PERMISSIONS___

[
  {
    "instance": {
      "key": {
        "publicId": "logging",
        "versionId": "1"
      },
      "param": [
        {
          "key": "environments",
          "value": {
            "type": 1,
            "string": "debug"
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  },
  {
    "instance": {
      "key": {
        "publicId": "inject_script",
        "versionId": "1"
      },
      "param": [
        {
          "key": "urls",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 1,
                "string": "https://cdn.jsdelivr.net/npm/ecomtag@*/dist/ecomtag.js"
              },
              {
                "type": 1,
                "string": "https://cdn.jsdelivr.net/npm/ecomtag@*/dist/ecomtag.calltouch.js"
              }
            ]
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  },
  {
    "instance": {
      "key": {
        "publicId": "access_globals",
        "versionId": "1"
      },
      "param": [
        {
          "key": "keys",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ct"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": true
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ct.q"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ct.ecomtag"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ct.c"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              }
            ]
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  }
]


___TESTS___

scenarios:
- name: Install creates the queue, configures two accounts and loads the bundle
  code: |-
    runCode(installData);

    assertApi('createArgumentsQueue').wasCalledWith('ct', 'ct.q');
    assertThat(copyFromWindow('ct.ecomtag')).isEqualTo(1);
    assertThat(copyFromWindow('ct.c')).isEqualTo({
      accounts: [
        {modId: 'abcd1234', calltouch: {siteId: 12345}, esputnik: {siteId: '8A412DC'}},
        {modId: 'efgh5678', calltouch: false}
      ],
      calltouch: {global: 'ctw', sessionWaitMs: 5000},
      esputnik: {format: 'tracker'},
      currency: 'RUB',
      timeZone: 'Asia/Yekaterinburg'
    });
    assertApi('injectScript').wasCalledWith(BUNDLE, loaded, failed, BUNDLE);
    // The tag succeeds when the bundle has loaded, not before.
    assertApi('gtmOnSuccess').wasNotCalled();
    loaded();
    assertApi('gtmOnSuccess').wasCalled();
    assertApi('gtmOnFailure').wasNotCalled();
- name: Install fails the tag when the bundle does not load
  code: |-
    runCode(installData);
    failed();

    assertApi('gtmOnFailure').wasCalled();
    assertApi('gtmOnSuccess').wasNotCalled();
- name: Install under another name puts the name in the URL's fragment
  code: |-
    // Renaming the global means editing the permissions to the new name: the mocks stand for that.
    mock('queryPermission', true);
    mock('copyFromWindow', undefined);
    mock('createArgumentsQueue', () => undefined);
    mock('setInWindow', true);
    installData.globalName = 'ecom';
    runCode(installData);

    assertApi('createArgumentsQueue').wasCalledWith('ecom', 'ecom.q');
    assertApi('injectScript').wasCalledWith(BUNDLE + '#ecom', loaded, failed, BUNDLE + '#ecom');
- name: Install keeps a configuration already in place
  code: |-
    runCode(installData);
    installData.currency = 'USD';
    runCode(installData);

    assertThat(copyFromWindow('ct.c').currency).isEqualTo('RUB');
    assertApi('createArgumentsQueue').wasCalledWith('ct', 'ct.q');
    assertApi('gtmOnFailure').wasNotCalled();
- name: Install leaves a global of another script alone
  code: |-
    mock('copyFromWindow', (key) => key === 'ct' ? 'Calltouch' : undefined);
    runCode(installData);

    assertApi('gtmOnFailure').wasCalled();
    assertApi('createArgumentsQueue').wasNotCalled();
    assertApi('setInWindow').wasNotCalled();
    assertApi('injectScript').wasNotCalled();
- name: Install refuses a bundle URL the permission does not allow, touching nothing
  code: |-
    installData.bundleUrl = 'https://elsewhere.example/ecomtag.js';
    runCode(installData);

    assertApi('gtmOnFailure').wasCalled();
    assertApi('createArgumentsQueue').wasNotCalled();
    assertApi('injectScript').wasNotCalled();
- name: Send one call maps GA4 items and routes to one mod_id
  code: |-
    runCode({
      mode: 'send', globalName: 'ct', method: 'purchase', callModId: 'abcd1234', transactionId: 'T-1004',
      productsFormat: 'ga4',
      products: [{item_id: '1003', item_name: 'USB-удлинитель', price: 150.5, quantity: 2, item_brand: 'xiaomi',
        item_category: 'кабели', item_category2: 'USB', item_list_name: 'Search'}]
    });

    assertApi('callInWindow').wasCalledWith('ct', 'abcd1234', 'send_ecommerce', 'purchase', {
      id: 'T-1004',
      products: [{id: '1003', name: 'USB-удлинитель', price: 150.5, quantity: 2, brand: 'xiaomi', category: 'кабели/USB'}]
    });
    assertApi('gtmOnSuccess').wasCalled();
- name: Send one call takes a GA4 event name, and queues the call before the install
  code: |-
    runCode({
      mode: 'send', globalName: 'ct', method: 'add_to_cart', callModId: '', transactionId: '',
      productsFormat: 'ecomtag', products: [{id: 1003, price: '150.50', quantity: 1}]
    });

    assertApi('createArgumentsQueue').wasCalledWith('ct', 'ct.q');
    assertApi('callInWindow').wasCalledWith('ct', 'send_ecommerce', 'addToCart', {
      products: [{id: 1003, price: '150.50', quantity: 1}]
    });
    assertApi('gtmOnSuccess').wasCalled();
- name: Send one call sets the contact from the fields given
  code: |-
    runCode({
      mode: 'send', globalName: 'ct', method: 'set_contact',
      contactEmail: 'a@b.ru', contactPhone: '79001234567', contactExternalId: '', contactName: undefined,
      contactIdentity: 'eyJzdWIiOiJlbWFpbDphQGIucnUiLCJleHAiOjE4OTM0NTYwMDB9.c2lnbmF0dXJl'
    });

    assertApi('callInWindow').wasCalledWith('ct', 'set_contact', {email: 'a@b.ru', phone: '79001234567',
      identity: 'eyJzdWIiOiJlbWFpbDphQGIucnUiLCJleHAiOjE4OTM0NTYwMDB9.c2lnbmF0dXJl'});
    assertApi('gtmOnSuccess').wasCalled();
- name: Send one call refuses an unknown method or products that are not a list
  code: |-
    runCode({mode: 'send', globalName: 'ct', method: 'add', products: [{id: 1}]});
    runCode({mode: 'send', globalName: 'ct', method: 'detail', products: '{{Products}}'});

    assertApi('callInWindow').wasNotCalled();
    assertApi('createArgumentsQueue').wasNotCalled();
    assertApi('gtmOnSuccess').wasNotCalled();
    assertApi('gtmOnFailure').wasCalled();
setup: |-
  const copyFromWindow = require('copyFromWindow');
  const BUNDLE = 'https://cdn.jsdelivr.net/npm/ecomtag@0.1.0/dist/ecomtag.js';
  const installData = {
    mode: 'install',
    globalName: 'ct',
    bundleUrl: BUNDLE,
    accounts: [
      {modId: 'abcd1234', calltouchSiteId: '12345', calltouch: 'on', esputnikSiteId: '8A412DC'},
      {modId: 'efgh5678', calltouchSiteId: '', calltouch: 'off', esputnikSiteId: ''}
    ],
    calltouchEndpoint: '',
    calltouchGlobal: 'ctw',
    sessionWaitMs: '5000',
    esputnikFormat: 'tracker',
    esputnikEndpoint: '',
    currency: 'RUB',
    timeZone: 'Asia/Yekaterinburg',
    dataLayerName: '',
    debug: false
  };
  // The bundle's load and failure, for the scenario to call.
  let loaded;
  let failed;
  mock('injectScript', (url, onSuccess, onFailure, cacheToken) => {
    loaded = onSuccess;
    failed = onFailure;
  });


___NOTES___

ecomtag's Google Tag Manager template. Its sandboxed code and ___TESTS___ run in
ecomtag's CI (test/node/gtm-template.test.ts, test/browser/gtm.test.ts).

Permissions to edit when installing:
- Injects scripts: the bundle URL, when dist/ecomtag.js (or dist/ecomtag.calltouch.js, for Calltouch alone) is
  served from the store's own site or CDN.
- Accesses global variables: ct, ct.q, ct.ecomtag and ct.c, renamed when the global is not ct.
