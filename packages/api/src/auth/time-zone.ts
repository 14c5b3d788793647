/**
 * The offset of a time zone from UTC at `at`, in hours as Java prints a double (`-5.0`, `5.5`),
 * which 4.1's login reply sends as `timezoneoffset`. Undefined for a zone the runtime does not know.
 */
export function timeZoneOffsetHours(timeZone: string, at: number): string | undefined {
  let name: string | undefined;
  try {
    name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(new Date(at))
      .find((part) => part.type === 'timeZoneName')?.value;
  } catch {
    return undefined;
  }
  if (name === undefined) return undefined;
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
  if (m === null) return undefined;
  if (m[1] === undefined) return '0.0';
  const hours = (Number(m[2]) + Number(m[3]) / 60) * (m[1] === '-' ? -1 : 1);
  return Number.isInteger(hours) ? hours.toFixed(1) : String(hours);
}
