import type { AreaModule } from './area-module.js';

/** The caller-bound services of the accounts area. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AccountServices {}

/** Domains, accounts, users, API keys, SSH key pairs and resource limits. */
export const accountsModule: AreaModule<AccountServices> = {
  name: 'accounts',
  services: [],
  facade: () => ({}),
};
