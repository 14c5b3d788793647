/** How a command runs and answers, as the 4.1 command hierarchy decides it. */
export type CommandKind = 'sync' | 'list' | 'async' | 'async-create';

/** One row of the CloudStack 4.1 command table. */
export interface CatalogEntry {
  /** The command name, case-sensitive (`listZones`). */
  readonly name: string;
  /**
   * Roles allowed to run it: 1 root admin, 2 resource-domain admin, 4 domain admin, 8 user
   * (15 everyone, 7 all admins, 3 root and resource-domain admin, 1 root only).
   */
  readonly permission: number;
  /** The section of `commands.properties` it is listed under. */
  readonly category: string;
  /** sync, list, async (returns a job id) or async-create (returns the new id and a job id). */
  readonly kind: CommandKind;
  /** The top-level key of its reply (`listzonesresponse`), with 4.1's quirks. */
  readonly responseName: string;
}
