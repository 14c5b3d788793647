import { z } from 'zod';
import { parsePlainDate, parseTzDate } from '../time/cloudstack-date.js';

/** The parameter types `listApis` reports, as 4.1's `CommandType` names them (lower-case). */
export type ApiParamType = 'string' | 'boolean' | 'integer' | 'long' | 'short' | 'uuid' | 'date' | 'tzdate' | 'list' | 'map';

/** A raw parameter value: a string, or the entries of a `name[i].field` map parameter in index order. */
export type RawParamValue = string | readonly Readonly<Record<string, string>>[];

/**
 * One declared parameter of a command: its `listApis` facts and the zod schema that turns the
 * raw value into the typed value the command receives.
 */
export interface ParamDef<T = unknown, R extends boolean = boolean> {
  /** The type `listApis` reports. */
  readonly type: ApiParamType;
  /** What the parameter does. */
  readonly description: string;
  /** Whether a request without it is refused (431, "missing parameter"). */
  readonly required: R;
  /** Maximum length of a string value `listApis` reports (255 unless said otherwise). */
  readonly length: number;
  /** The version that added it, for `listApis`. */
  readonly since?: string;
  /** Parses the raw value; a failed parse is a 431 naming the parameter. */
  readonly schema: z.ZodType<T>;
}

/** Options of a parameter. */
export interface ParamOptions<R extends boolean> {
  /** Refuse requests without it. */
  readonly required?: R;
  /** Maximum string length (255 by default). */
  readonly length?: number;
  /** The version that added it. */
  readonly since?: string;
}

const INCORRECT_FORMAT = 'incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function def<T, R extends boolean>(type: ApiParamType, description: string, schema: z.ZodType<T>, options: ParamOptions<R>): ParamDef<T, R> {
  return {
    type,
    description,
    required: (options.required ?? false) as R,
    length: options.length ?? 255,
    ...(options.since === undefined ? {} : { since: options.since }),
    schema,
  };
}

function integerSchema(min: number, max: number) {
  return z
    .string()
    .regex(/^\s*-?\d+\s*$/, INCORRECT_FORMAT)
    .transform(Number)
    .pipe(z.number().int().min(min, `value must be at least ${min}`).max(max, `value must be at most ${max}`));
}

/** Builders of declared parameters, one per 4.1 parameter type. */
export const param = {
  /** A string (at most `length` characters). */
  string<const R extends boolean = false>(description: string, options: ParamOptions<R> = {}): ParamDef<string, R> {
    const length = options.length ?? 255;
    return def('string', description, z.string().max(length, `value is longer than ${length} characters`), options);
  },
  /** A boolean: `true` in any case is true, anything else false (Java's `Boolean.valueOf`). */
  boolean<const R extends boolean = false>(description: string, options: ParamOptions<R> = {}): ParamDef<boolean, R> {
    return def('boolean', description, z.string().transform((v) => v.toLowerCase() === 'true'), options);
  },
  /** A 32-bit integer. */
  integer<const R extends boolean = false>(description: string, options: ParamOptions<R> = {}): ParamDef<number, R> {
    return def('integer', description, integerSchema(-(2 ** 31), 2 ** 31 - 1), options);
  },
  /** A 64-bit integer (within JavaScript's safe range). */
  long<const R extends boolean = false>(description: string, options: ParamOptions<R> = {}): ParamDef<number, R> {
    return def('long', description, integerSchema(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER), options);
  },
  /** An object id: a UUID, returned lower-case. */
  uuid<const R extends boolean = false>(description: string, options: ParamOptions<R> = {}): ParamDef<string, R> {
    return def('uuid', description, z.string().trim().regex(UUID, INCORRECT_FORMAT).transform((v) => v.toLowerCase()), options);
  },
  /** A date, `yyyy-MM-dd` or `yyyy-MM-dd HH:mm:ss` in server time; returned as an ISO string. */
  date<const R extends boolean = false>(description: string, options: ParamOptions<R> = {}): ParamDef<string, R> {
    const schema = z.string().transform((v, ctx) => {
      const ms = parsePlainDate(v);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: 'a date must be yyyy-MM-dd or yyyy-MM-dd HH:mm:ss' });
        return z.NEVER;
      }
      return new Date(ms).toISOString();
    });
    return def('date', description, schema, options);
  },
  /** A date with a zone, `yyyy-MM-dd'T'HH:mm:ssZ`; returned as an ISO string. */
  tzDate<const R extends boolean = false>(description: string, options: ParamOptions<R> = {}): ParamDef<string, R> {
    const schema = z.string().transform((v, ctx) => {
      const ms = parseTzDate(v);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: "a date must be yyyy-MM-dd'T'HH:mm:ssZ" });
        return z.NEVER;
      }
      return new Date(ms).toISOString();
    });
    return def('tzdate', description, schema, options);
  },
  /** One of a few strings, matched in any case and returned as listed (reported as a string). */
  oneOf<const V extends readonly [string, ...string[]], const R extends boolean = false>(
    description: string,
    values: V,
    options: ParamOptions<R> = {},
  ): ParamDef<V[number], R> {
    const byLower = new Map(values.map((v) => [v.toLowerCase(), v]));
    const schema = z.string().transform((v, ctx) => {
      const value = byLower.get(v.toLowerCase());
      if (value === undefined) {
        ctx.addIssue({ code: 'custom', message: `value must be one of ${values.join(', ')}` });
        return z.NEVER;
      }
      return value as V[number];
    });
    return def('string', description, schema, options);
  },
  /** A comma-separated list of strings. */
  list<const R extends boolean = false>(description: string, options: ParamOptions<R> = {}): ParamDef<string[], R> {
    const schema = z.string().transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    );
    return def('list', description, schema, options);
  },
  /** A map given as `name[i].field=value`: its entries in index order, field names as sent. */
  map<const R extends boolean = false>(description: string, options: ParamOptions<R> = {}): ParamDef<Record<string, string>[], R> {
    return def('map', description, z.array(z.record(z.string(), z.string())), options);
  },
} as const;

/** The declared parameters of a command, by lower-case name. */
export type ParamShape = Readonly<Record<string, ParamDef>>;

/** The typed parameters a command receives: required ones always present, others optional. */
export type ParamsOf<P extends ParamShape> = {
  readonly [K in keyof P as P[K] extends ParamDef<unknown, true> ? K : never]: P[K] extends ParamDef<infer T, true> ? T : never;
} & {
  readonly [K in keyof P as P[K] extends ParamDef<unknown, true> ? never : K]?: P[K] extends ParamDef<infer T, boolean> ? T : never;
};
