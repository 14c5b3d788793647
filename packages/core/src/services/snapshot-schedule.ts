import { invalidParameter } from '../errors.js';
import type { SnapshotIntervalType } from '../model/snapshot.js';

/** A policy's `schedule` read into its fields; `day` is the day of week (1 = Sunday) or of month. */
export interface SnapshotSchedule {
  /** The interval the schedule belongs to. */
  readonly intervalType: SnapshotIntervalType;
  /** Minute of the hour, 0..59. */
  readonly minute: number;
  /** Hour of the day, 0..23 (daily, weekly, monthly). */
  readonly hour: number;
  /** Day of the week 1..7 (weekly, Sunday = 1) or of the month 1..28 (monthly). */
  readonly day: number;
}

/** The format each interval's schedule has, for messages. */
const FORMATS: Readonly<Record<SnapshotIntervalType, string>> = {
  HOURLY: 'MM (minute 0-59)',
  DAILY: 'MM:HH (minute 0-59, hour 0-23)',
  WEEKLY: 'MM:HH:D (minute 0-59, hour 0-23, day of week 1-7, Sunday = 1)',
  MONTHLY: 'MM:HH:DD (minute 0-59, hour 0-23, day of month 1-28)',
};

/** How many `:`-separated fields each interval's schedule has. */
const FIELD_COUNTS: Readonly<Record<SnapshotIntervalType, number>> = { HOURLY: 1, DAILY: 2, WEEKLY: 3, MONTHLY: 3 };

/**
 * Reads 4.1's schedule format for an interval: `MM` hourly, `MM:HH` daily, `MM:HH:D` weekly
 * (D = 1..7, Sunday = 1), `MM:HH:DD` monthly (DD = 1..28, so every month has the day). Anything
 * else is refused with 431 naming `schedule`.
 */
export function parseSchedule(intervalType: SnapshotIntervalType, schedule: string): SnapshotSchedule {
  const refuse = () => invalidParameter('schedule', `schedule ${JSON.stringify(schedule)} does not match the ${intervalType} format ${FORMATS[intervalType]}`);
  const fields = schedule.split(':');
  if (fields.length !== FIELD_COUNTS[intervalType] || fields.some((f) => !/^\d{1,2}$/.test(f))) throw refuse();
  const [minute = 0, hour = 0, day = 1] = fields.map(Number);
  const dayMax = intervalType === 'WEEKLY' ? 7 : 28;
  if (minute > 59 || hour > 23 || day < 1 || day > dayMax) throw refuse();
  return { intervalType, minute, hour, day };
}

/** Refuses a time zone the runtime does not know (431 naming `timezone`). */
export function checkTimezone(timezone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return timezone;
  } catch {
    throw invalidParameter('timezone', `unknown time zone ${JSON.stringify(timezone)}; use an IANA name such as UTC or Europe/Prague`);
  }
}

/** Wall-clock fields of an instant in a time zone. */
interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

function localTime(timezone: string, ms: number): LocalTime {
  const parts = new Map(formatterFor(timezone).formatToParts(new Date(ms)).map((p) => [p.type, Number(p.value)]));
  const field = (name: Intl.DateTimeFormatPartTypes) => parts.get(name) ?? 0;
  return { year: field('year'), month: field('month'), day: field('day'), hour: field('hour'), minute: field('minute'), second: field('second') };
}

/** Milliseconds the zone is ahead of UTC at instant `ms`. */
function offsetAt(timezone: string, ms: number): number {
  const t = localTime(timezone, ms);
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) - Math.floor(ms / 1000) * 1000;
}

/** The instant of a wall-clock time in a zone (fields may overflow: day 32 is next month's 1st). */
function instantOf(timezone: string, year: number, month: number, day: number, hour: number, minute: number): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const first = wall - offsetAt(timezone, wall);
  const second = wall - offsetAt(timezone, first);
  return second;
}

/**
 * The first instant strictly after `afterMs` that the schedule names, read in `timezone`:
 * the next `MM` past the hour, the next `HH:MM`, the next such time on weekday `D`, or on day
 * `DD` of the month.
 */
export function nextRunAfter(schedule: SnapshotSchedule, timezone: string, afterMs: number): number {
  const now = localTime(timezone, afterMs);
  const weekday = new Date(Date.UTC(now.year, now.month - 1, now.day)).getUTCDay();
  for (let step = 0; step < 3; step += 1) {
    let candidate: number;
    switch (schedule.intervalType) {
      case 'HOURLY':
        candidate = instantOf(timezone, now.year, now.month, now.day, now.hour + step, schedule.minute);
        break;
      case 'DAILY':
        candidate = instantOf(timezone, now.year, now.month, now.day + step, schedule.hour, schedule.minute);
        break;
      case 'WEEKLY': {
        const ahead = (schedule.day - 1 - weekday + 7) % 7;
        candidate = instantOf(timezone, now.year, now.month, now.day + ahead + 7 * step, schedule.hour, schedule.minute);
        break;
      }
      case 'MONTHLY':
        candidate = instantOf(timezone, now.year, now.month + step, schedule.day, schedule.hour, schedule.minute);
        break;
    }
    if (candidate > afterMs) return candidate;
  }
  throw invalidParameter('schedule', `no run of schedule ${schedule.minute}:${schedule.hour}:${schedule.day} follows ${new Date(afterMs).toISOString()}`);
}
