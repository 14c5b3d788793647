const TZ_DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,3})?(Z|[+\- ]\d{2}:?\d{2})$/;
const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/;

function validParts(month: number, day: number, hour: number, minute: number, second: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59;
}

/**
 * Parses Java's `yyyy-MM-dd'T'HH:mm:ssZ` (`2030-01-01T00:00:00+0000`), the form of
 * signature-version-3 `expires` and of TZ-date parameters, also accepting `Z`, `+00:00` and a
 * space where an unencoded `+` became one. Milliseconds since the epoch, or undefined.
 */
export function parseTzDate(value: string): number | undefined {
  const m = TZ_DATE.exec(value.trim());
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (!validParts(month, day, hour, minute, second)) return undefined;
  const zone = m[7] as string;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * (zone.startsWith('-') ? -1 : 1);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
}

/**
 * Parses a date parameter, `yyyy-MM-dd` or `yyyy-MM-dd HH:mm:ss`, in the server's local time
 * zone as 4.1 does. Milliseconds since the epoch, or undefined.
 */
export function parsePlainDate(value: string): number | undefined {
  const m = PLAIN_DATE.exec(value.trim());
  if (m === null) return undefined;
  const [year, month, day] = m.slice(1, 4).map(Number) as [number, number, number];
  const [hour, minute, second] = m[4] === undefined ? [0, 0, 0] : (m.slice(4, 7).map(Number) as [number, number, number]);
  if (!validParts(month, day, hour, minute, second)) return undefined;
  const date = new Date(year, month - 1, day, hour, minute, second);
  return date.getDate() === day ? date.getTime() : undefined;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * Formats a time the way 4.1 writes dates in replies: Java's `yyyy-MM-dd'T'HH:mm:ssZ` in the
 * server's local time zone, e.g. `2013-05-28T09:16:12-0400`. Accepts an ISO string or epoch ms.
 */
export function formatCloudStackDate(time: string | number): string {
  const ms = typeof time === 'number' ? time : Date.parse(time);
  // One zone lookup, then UTC getters on the shifted time: the same fields as the local getters.
  const offset = -new Date(ms).getTimezoneOffset();
  const local = new Date(ms + offset * 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${local.getUTCFullYear()}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())}` +
    `T${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}` +
    `${sign}${two(Math.floor(abs / 60))}${two(abs % 60)}`
  );
}
