import { ACCOUNT_COMMANDS } from './account-area-commands.js';
import { listApis } from './apis-command.js';
import { listCapabilitiesCommand, type CapabilityFacts } from './capabilities-command.js';
import type { CommandDeclaration } from './command.js';
import { listConfigurations, updateConfiguration } from './configuration-commands.js';
import { listEvents } from './event-commands.js';
import { INFRASTRUCTURE_COMMANDS } from './infrastructure-commands.js';
import { listAsyncJobs, queryAsyncJobResult } from './job-commands.js';
import { ISO_COMMANDS } from './iso-commands.js';
import { NETWORK_COMMANDS } from './network-area-commands.js';
import { OFFERING_COMMANDS } from './offering-commands.js';
import { OS_TYPE_COMMANDS } from './os-type-commands.js';
import { TEMPLATE_COMMANDS } from './template-commands.js';
import { VM_COMMANDS } from './vm-commands.js';
import { VM_OPERATION_COMMANDS } from './vm-operation-commands.js';
import { SNAPSHOT_COMMANDS } from './snapshot-commands.js';
import { VOLUME_COMMANDS } from './volume-commands.js';

/**
 * The 4.1 commands implemented over the core services that exist: configuration, events, async
 * jobs, capabilities, API discovery, infrastructure, accounts, offerings, templates, ISOs, guest OS types, user VMs and their operations, volumes, snapshots and snapshot policies. Every other 4.1 command answers 432 until declared.
 */
export function builtInCommands(facts: CapabilityFacts): CommandDeclaration[] {
  return [listConfigurations, updateConfiguration, listEvents, queryAsyncJobResult, listAsyncJobs, listCapabilitiesCommand(facts), listApis, ...INFRASTRUCTURE_COMMANDS, ...ACCOUNT_COMMANDS, ...OFFERING_COMMANDS, ...TEMPLATE_COMMANDS, ...ISO_COMMANDS, ...OS_TYPE_COMMANDS, ...VM_COMMANDS, ...VM_OPERATION_COMMANDS, ...VOLUME_COMMANDS, ...SNAPSHOT_COMMANDS, ...NETWORK_COMMANDS];
}
