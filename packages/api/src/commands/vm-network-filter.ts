import { isCloudError, notFound, pageWindow, type ListVmsInput, type Page, type VmView } from '@cloudstack-sdk/core';
import type { CommandContext } from './command.js';

/**
 * The page of VMs `listVirtualMachines networkid=` answers: the network must be one the caller
 * may see (431 naming `networkid` otherwise); of the VMs matching the other filters under the
 * scoping rule, those with a NIC on it, paged by 4.1's rules with `count` the total. Core's VM
 * list has no network filter, so the matches are taken from the whole filtered list.
 */
export async function vmsOnNetwork(context: CommandContext, networkId: string, filters: ListVmsInput, paging: { readonly page?: number; readonly pageSize?: number }): Promise<Page<VmView>> {
  try {
    await context.services.networks.get({ id: networkId });
  } catch (error) {
    if (isCloudError(error)) throw notFound('network', 'networkid', networkId);
    throw error;
  }
  const window = pageWindow(paging, await context.config.number('default.page.size'));
  const all = await context.services.vms.list({ ...filters, pageSize: -1 });
  const matches = all.items.filter((vm) => vm.nics.some((nic) => nic.networkId === networkId));
  return { items: matches.slice(window.offset, window.limit === undefined ? undefined : window.offset + window.limit), total: matches.length };
}
