import { createAccount, deleteAccount, disableAccount, enableAccount, listAccounts, lockAccount, updateAccount } from './account-commands.js';
import type { CommandDeclaration } from './command.js';
import { createDomain, deleteDomain, listDomainChildren, listDomains, updateDomain } from './domain-commands.js';
import { listResourceLimits, updateResourceLimit } from './resource-limit-commands.js';
import { createSSHKeyPair, deleteSSHKeyPair, listSSHKeyPairs, registerSSHKeyPair } from './ssh-key-pair-commands.js';
import { createUser, deleteUser, disableUser, enableUser, listUsers, lockUser, registerUserKeys, updateUser } from './user-commands.js';

/** The accounts-area commands: domains, accounts, users and their API keys, SSH key pairs, resource limits. */
export const ACCOUNT_COMMANDS: readonly CommandDeclaration[] = [
  createDomain, updateDomain, deleteDomain, listDomains, listDomainChildren,
  createAccount, updateAccount, disableAccount, enableAccount, lockAccount, deleteAccount, listAccounts,
  createUser, updateUser, disableUser, enableUser, lockUser, deleteUser, listUsers, registerUserKeys,
  createSSHKeyPair, registerSSHKeyPair, deleteSSHKeyPair, listSSHKeyPairs,
  listResourceLimits, updateResourceLimit,
];
