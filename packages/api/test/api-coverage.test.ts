import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATALOG_4_1, renderCoverageTable } from '../src/index.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tsv = fileURLToPath(new URL('../../../../shared/reference/commands-4.1.tsv', import.meta.url));

describe('4.1 command catalogue', () => {
  it('has the 356 commands with the kind and permission tallies of reference §4', () => {
    expect(CATALOG_4_1).toHaveLength(356);
    const count = (f: (e: (typeof CATALOG_4_1)[number]) => boolean) => CATALOG_4_1.filter(f).length;
    expect([count((e) => e.kind === 'sync'), count((e) => e.kind === 'list'), count((e) => e.kind === 'async'), count((e) => e.kind === 'async-create')]).toEqual([113, 86, 128, 29]);
    expect([15, 7, 3, 1].map((bits) => count((e) => e.permission === bits))).toEqual([192, 21, 14, 129]);
    const byName = new Map(CATALOG_4_1.map((e) => [e.name, e.responseName]));
    expect(byName.get('revokeSecurityGroupIngress')).toBe('revokesecuritygroupingress');
    expect(byName.get('activateProject')).toBe('activaterojectresponse');
  });

  it('matches the reference table when it is present beside the repository', () => {
    const rows = existsSync(tsv)
      ? readFileSync(tsv, 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== '' && !l.startsWith('#'))
          .map((l) => {
            const [name, bits, category, kind, responseName] = l.split('\t');
            return { name, permission: Number(bits), category, kind, responseName };
          })
      : CATALOG_4_1.map((e) => ({ ...e }));
    expect(CATALOG_4_1.map((e) => ({ ...e }))).toEqual(rows);
  });
});

describe('docs/api-coverage.md', () => {
  it('is up to date with the declarations (regenerate with scripts/api-coverage.mjs)', () => {
    const checkedIn = readFileSync(`${packageDir}/docs/api-coverage.md`, 'utf8');
    expect(checkedIn).toBe(renderCoverageTable());
    expect(checkedIn).toContain('| `listCapabilities` | yes |');
    expect(checkedIn).toContain('| `listZones` | yes |');
    expect(checkedIn).toContain('| `deployVirtualMachine` | yes | async-create |');
    expect(checkedIn).toContain('| `createSnapshot` | yes | async-create |');
    // A command no declaration covers yet (projects are not built).
    expect(checkedIn).toContain('| `createProject` | no |');
  });
});
