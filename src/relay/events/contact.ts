/**
 * Contacts as eSputnik matches them, and as a signed identity names them: `email:<trimmed lower-case email>`,
 * `phone:<international digits>`, `ext:<externalCustomerId>`. eSputnik compares emails without case and every
 * other value exactly (seed 001), so the relay compares in the same forms and forwards them.
 */
import type { IdentityContact } from '../types';

export type SubjectKind = 'ext' | 'email' | 'phone';

export interface Subject {
  kind: SubjectKind;
  value: string;
}

/** A contact's channels beyond its subject, in their matching forms. */
export type Channels = { email?: string; phone?: string };

/** eSputnik's keyValue limit. */
export const KEY_VALUE_LIMIT = 300;

/**
 * The WHATWG grammar of a valid e-mail address (what `<input type=email>` accepts), at most 254 characters. It
 * leaves out spaces, quotes, `<`, `>`, `;`, `,` and `\`, so `<script>` is no email.
 */
const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
/** International format: country code first, E.164's at most 15 digits; shorter than 7 is no phone number. */
const PHONE = /^\d{7,15}$/;
/**
 * An external id: at most keyValue's 300 characters, none of the characters eSputnik refuses in its keys
 * (`< ; ' \ / | " ^ ? ! , >`), no control characters, no spaces at either end.
 */
const EXTERNAL_ID = /^(?=\S)(?!.*\s$)[^<;'\\/|"^?!,>\u0000-\u001f\u007f]{1,300}$/;

export const normalEmail = (value: string): string => value.trim().toLowerCase();
export const phoneDigits = (value: string): string => value.replace(/\D/g, '');

export const isEmail = (value: string): boolean => value.length <= 254 && EMAIL.test(value);
export const isPhone = (value: string): boolean => PHONE.test(value);
export const isExternalId = (value: string): boolean => EXTERNAL_ID.test(value);

/** `value` in the form eSputnik matches for `kind`, or null when it is not one. */
export const normalContact = (kind: SubjectKind, value: unknown): string | null => {
  if (typeof value === 'number' && kind !== 'email' && Number.isSafeInteger(value) && value >= 0) value = String(value);
  if (typeof value !== 'string') return null;
  if (kind === 'email') {
    const email = normalEmail(value);
    return isEmail(email) ? email : null;
  }
  if (kind === 'phone') {
    // Only what people write around a number: +, spaces, dashes, dots, brackets.
    if (!/^[\d\s+().-]{1,40}$/.test(value)) return null;
    const digits = phoneDigits(value);
    return isPhone(digits) ? digits : null;
  }
  return isExternalId(value) ? value : null;
};

/** The contact a set_contact names, by the tag's keyValue precedence: externalCustomerId → email → phone. */
export const subjectOf = (contact: IdentityContact): Subject | null => {
  const kinds: Array<[SubjectKind, unknown]> = [
    ['ext', contact.externalCustomerId],
    ['email', contact.email],
    ['phone', contact.phone],
  ];
  for (const [kind, given] of kinds) {
    if (given === undefined || given === null || given === '') continue;
    const value = normalContact(kind, given);
    return value === null ? null : { kind, value };
  }
  return null;
};

export const subjectText = (subject: Subject): string => `${subject.kind}:${subject.value}`;

/** A `sub` exactly as signIdentity writes it (already in its matching form), or null. */
export const parseSubject = (sub: string): Subject | null => {
  const colon = sub.indexOf(':');
  const kind = sub.slice(0, colon);
  if (kind !== 'ext' && kind !== 'email' && kind !== 'phone') return null;
  const value = sub.slice(colon + 1);
  return normalContact(kind, value) === value ? { kind, value } : null;
};

/**
 * The params eSputnik finds a contact by (seed 001: ContactId, Contact_id, Email, EmailAddress, UserEmail,
 * ContactEmail, Phone, SMS, PhoneNumber, PushToken, ContactKey, Contact_key, any case; and externalCustomerId), by the
 * kind of contact each names. Those of kind null name eSputnik's own ids and tokens, which no page knows.
 */
const LOCATORS: Record<string, SubjectKind | null> = {
  externalcustomerid: 'ext',
  email: 'email',
  emailaddress: 'email',
  useremail: 'email',
  contactemail: 'email',
  phone: 'phone',
  sms: 'phone',
  phonenumber: 'phone',
  contactid: null,
  contact_id: null,
  pushtoken: null,
  contactkey: null,
  contact_key: null,
};

/** Whether eSputnik may read a contact from a param of this name, and of which kind (null: an id only it issues). */
export const locatorKind = (name: string): SubjectKind | null | undefined => {
  const key = name.toLowerCase();
  return Object.prototype.hasOwnProperty.call(LOCATORS, key) ? LOCATORS[key] : undefined;
};

/** The param the tag names each kind of contact by. */
export const CONTACT_PARAM: Record<SubjectKind, string> = { ext: 'externalCustomerId', email: 'email', phone: 'phone' };
