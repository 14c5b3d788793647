import { invalidParameter } from '../errors.js';
import { STICKINESS_METHODS, type StickinessMethod } from '../model/network-offering.js';

/** How one stickiness parameter's value is checked: a flag (`true`/`false`) or a value of a pattern. */
type ParamCheck = { readonly flag: true } | { readonly flag: false; readonly pattern: RegExp; readonly hint: string };

const FLAG: ParamCheck = { flag: true };

function valueOf(pattern: RegExp, hint: string): ParamCheck {
  return { flag: false, pattern, hint };
}

function oneOf(...values: string[]): ParamCheck {
  return valueOf(new RegExp(`^(${values.join('|')})$`), `one of ${values.join(', ')}`);
}

/** A cookie name: an HTTP token. */
const COOKIE_NAME = valueOf(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,255}$/, 'a cookie name (an HTTP token: letters, digits and !#$%&\'*+.^_`|~-)');
/** The domain a cookie is set for; a leading dot lets every host below it use the cookie. */
const COOKIE_DOMAIN = valueOf(/^\.?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/, 'a domain name, optionally starting with a dot');
/** A whole number of characters. */
const LENGTH = valueOf(/^[1-9]\d{0,8}$/, 'a positive whole number');
/** A duration in one unit (`20s`, `30m`, `4h`, `5d`), as HAProxy takes it. */
const DURATION = valueOf(/^\d{1,9}[smhd]$/, 'a duration such as 30m (one unit of s, m, h or d; no combinations like 20h30m)');
/** A duration, or a plain number (HAProxy reads it as milliseconds). */
const DURATION_OR_NUMBER = valueOf(/^\d{1,9}[smhd]?$/, 'a duration such as 3h (one unit of s, m, h or d) or a plain number');
/** A table size (`200k`, `300m`, `4g`). */
const TABLE_SIZE = valueOf(/^\d{1,9}[kmg]$/, 'a size such as 200k (one unit of k, m or g)');

/**
 * The parameters each stickiness method takes, as the virtual router's HAProxy declares them in
 * CloudStack 4.1 (`SupportedStickinessMethods`): none is required, flags take `true`/`false`.
 */
export const STICKINESS_PARAMETERS: { readonly [M in StickinessMethod]: Readonly<Record<string, ParamCheck>> } = {
  LbCookie: { 'cookie-name': COOKIE_NAME, mode: oneOf('insert', 'rewrite', 'prefix'), nocache: FLAG, indirect: FLAG, postonly: FLAG, domain: COOKIE_DOMAIN },
  AppCookie: { 'cookie-name': COOKIE_NAME, length: LENGTH, holdtime: DURATION_OR_NUMBER, 'request-learn': FLAG, prefix: FLAG, mode: oneOf('path-parameters', 'query-string') },
  SourceBased: { tablesize: TABLE_SIZE, expire: DURATION },
};

/** A stickiness method named in any case, spelled as CloudStack spells it; 431 naming `methodname` otherwise. */
export function stickinessMethodNamed(name: string): StickinessMethod {
  const wanted = name.trim().toLowerCase();
  const method = STICKINESS_METHODS.find((m) => m.toLowerCase() === wanted);
  if (method === undefined) throw invalidParameter('methodname', `${name} is not a stickiness method; use one of ${STICKINESS_METHODS.join(', ')}`);
  return method;
}

/**
 * A method's parameters checked and normalised (names lower-case, flags `true`/`false`):
 * 431 naming `param` for a parameter the method does not take, one given twice, or a value
 * of the wrong form.
 */
export function stickinessParams(method: StickinessMethod, params: Readonly<Record<string, string>>): Record<string, string> {
  const allowed = STICKINESS_PARAMETERS[method];
  const checked: Record<string, string> = {};
  for (const [rawName, rawValue] of Object.entries(params)) {
    const name = rawName.trim().toLowerCase();
    const value = rawValue.trim();
    const check = Object.hasOwn(allowed, name) ? allowed[name] : undefined;
    if (check === undefined) throw invalidParameter('param', `${rawName} is not a parameter of stickiness method ${method}; it takes ${Object.keys(allowed).join(', ')}`);
    if (Object.hasOwn(checked, name)) throw invalidParameter('param', `${name} is given more than once`);
    if (check.flag) {
      const flag = value.toLowerCase();
      if (flag !== 'true' && flag !== 'false') throw invalidParameter('param', `${name} is a flag of ${method}: true or false, not ${rawValue}`);
      checked[name] = flag;
    } else {
      if (!check.pattern.test(value)) throw invalidParameter('param', `${name} of ${method} must be ${check.hint}, not ${rawValue}`);
      checked[name] = value;
    }
  }
  return checked;
}
