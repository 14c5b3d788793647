/**
 * One forward-only step of the schema. Migrations run in `version` order, each once, under a
 * database lock; the version is recorded after its last statement succeeded.
 *
 * Every statement must be idempotent (`CREATE TABLE IF NOT EXISTS`, `ADD COLUMN IF NOT EXISTS`,
 * ...): DDL commits on its own in MySQL, so a server that died half-way through a migration
 * leaves some statements applied, and the next start runs the whole migration again.
 */
export interface Migration {
  /** Position in the sequence: 1, 2, 3 ... without gaps. */
  readonly version: number;
  /** What it does, kebab-case (`create-domains`); recorded with the version. */
  readonly name: string;
  /** The statements, run one after another. */
  readonly statements: readonly string[];
}
