/** One structured log line: a JSON object on stdout, with the time and a message. */
export type LogFields = Readonly<Record<string, unknown>>;

/** Writes structured log lines; `quiet` drops routine lines (tests). */
export interface ServerLog {
  /** Routine facts (one per request, start-up, shutdown). */
  info(message: string, fields?: LogFields): void;
  /** Things an operator should act on. */
  warn(message: string, fields?: LogFields): void;
  /** Failures. */
  error(message: string, fields?: LogFields): void;
}

/** A log writing one JSON line per entry to `write` (stdout by default). */
export function jsonLog(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): ServerLog {
  const entry = (level: string) => (message: string, fields: LogFields = {}) =>
    write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
  return { info: entry('info'), warn: entry('warn'), error: entry('error') };
}
