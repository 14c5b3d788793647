import { invalidParameter } from '@cloudstack-sdk/core';

/** TLS settings for the connection, as mysql2 takes them. */
export interface MysqlTlsSettings {
  /** Refuse a server whose certificate does not verify (true unless told otherwise). */
  readonly rejectUnauthorized?: boolean;
  /** PEM CA certificate(s) to verify the server against, instead of the system's. */
  readonly ca?: string | readonly string[];
  /** PEM client certificate, for servers that ask for one. */
  readonly cert?: string;
  /** PEM key of the client certificate. */
  readonly key?: string;
}

/** Where and how to connect, as read from a URL. */
export interface MysqlConnectionSettings {
  /** Server host name or address. */
  readonly host: string;
  /** TCP port; 3306 unless given. */
  readonly port: number;
  /** User name. */
  readonly user: string;
  /** Password; empty when none. */
  readonly password: string;
  /** The database (schema) the store lives in. */
  readonly database: string;
  /** Connections the pool opens at most. */
  readonly connectionLimit?: number;
  /** TLS; absent for a plain connection. */
  readonly ssl?: MysqlTlsSettings;
  /** Milliseconds to wait for a connection to be established. */
  readonly connectTimeout?: number;
}

function positiveInteger(name: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw invalidParameter('url', `${name} must be a positive integer, not ${JSON.stringify(value)}`);
  return parsed;
}

function tls(value: string): MysqlTlsSettings | undefined {
  switch (value) {
    case 'true':
    case 'required':
      return { rejectUnauthorized: true };
    case 'insecure':
      return { rejectUnauthorized: false };
    case 'false':
    case 'disabled':
      return undefined;
    default:
      throw invalidParameter('url', `ssl must be true, required, insecure, false or disabled, not ${JSON.stringify(value)}`);
  }
}

/**
 * Reads `mysql://user:pass@host:port/database?connectionLimit=10&ssl=true&connectTimeout=5000`
 * (`mariadb://` too). User and password are percent-decoded. `ssl=true` (or `required`)
 * verifies the server certificate, `ssl=insecure` encrypts without verifying, `ssl=false`
 * connects in plain text. Anything else is refused with a 431 naming the fault, so a typo never
 * silently weakens a connection.
 */
export function parseConnectionUrl(url: string): MysqlConnectionSettings {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidParameter('url', 'is not a URL (expected mysql://user:pass@host:port/database)');
  }
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw invalidParameter('url', `protocol must be mysql: or mariadb:, not ${parsed.protocol}`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (database === '' || database.includes('/')) throw invalidParameter('url', 'must name one database in its path (mysql://host/database)');
  let settings: MysqlConnectionSettings = {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost',
    port: parsed.port === '' ? 3306 : positiveInteger('port', parsed.port),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database,
  };
  for (const [name, value] of parsed.searchParams) {
    switch (name) {
      case 'connectionLimit':
        settings = { ...settings, connectionLimit: positiveInteger(name, value) };
        break;
      case 'connectTimeout':
        settings = { ...settings, connectTimeout: positiveInteger(name, value) };
        break;
      case 'ssl': {
        const ssl = tls(value);
        settings = ssl === undefined ? settings : { ...settings, ssl };
        break;
      }
      default:
        throw invalidParameter('url', `unknown option ${name} (known: connectionLimit, connectTimeout, ssl)`);
    }
  }
  return settings;
}
