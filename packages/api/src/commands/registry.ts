import { catalogEntry, isCatalogued } from './catalog.js';
import type { CommandDeclaration } from './command.js';

/**
 * The commands an API serves, by case-sensitive name. A declaration of a 4.1 command must
 * agree with the 4.1 catalogue on kind, permission bits and response name; a product may add
 * commands of its own.
 */
export class CommandRegistry {
  private readonly byName = new Map<string, CommandDeclaration>();

  /** Registers declarations; a later declaration of the same name replaces an earlier one. */
  constructor(declarations: readonly CommandDeclaration[]) {
    for (const declaration of declarations) {
      if (isCatalogued(declaration.name)) {
        const entry = catalogEntry(declaration.name);
        if (entry.kind !== declaration.kind || entry.permission !== declaration.permission || entry.responseName !== declaration.responseName) {
          throw new Error(
            `${declaration.name} is declared as ${declaration.kind}/${declaration.permission}/${declaration.responseName}, but 4.1 has ${entry.kind}/${entry.permission}/${entry.responseName}`,
          );
        }
      }
      if (declaration.kind === 'list' && declaration.objectName === '') throw new Error(`${declaration.name} needs an object name`);
      this.byName.set(declaration.name, declaration);
    }
  }

  /** The declaration of a command, matched case-sensitively as 4.1 does, or undefined. */
  get(name: string): CommandDeclaration | undefined {
    return this.byName.get(name);
  }

  /** Every declaration, sorted by name. */
  all(): CommandDeclaration[] {
    return Array.from(this.byName.values()).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
