import type { CommandDeclaration } from './command.js';
import { NETWORK_OFFERING_COMMANDS } from './network-offering-commands.js';
import { NETWORK_CORE_COMMANDS } from './network-commands.js';
import { ROUTER_COMMANDS } from './router-commands.js';
import { ADDRESS_COMMANDS } from './address-commands.js';
import { STATIC_NAT_COMMANDS } from './static-nat-commands.js';
import { FIREWALL_COMMANDS } from './firewall-commands.js';
import { PORT_FORWARDING_COMMANDS } from './port-forwarding-commands.js';
import { LOAD_BALANCER_COMMANDS } from './load-balancer-commands.js';
import { SECURITY_GROUP_COMMANDS } from './security-group-commands.js';
import { VPN_COMMANDS } from './vpn-commands.js';
import { VM_NIC_COMMANDS } from './vm-nic-commands.js';

/**
 * The commands of the guest-network area (network offerings, guest networks, public IP
 * addresses, static NAT, firewall and egress rules, port forwarding, load balancing and the
 * virtual routers), registered by `builtInCommands`. Each command group lives in its own file
 * and is listed here.
 */
export const NETWORK_COMMANDS: CommandDeclaration[] = [
  ...NETWORK_OFFERING_COMMANDS,
  ...NETWORK_CORE_COMMANDS,
  ...ROUTER_COMMANDS,
  ...ADDRESS_COMMANDS,
  ...STATIC_NAT_COMMANDS,
  ...FIREWALL_COMMANDS,
  ...PORT_FORWARDING_COMMANDS,
  ...LOAD_BALANCER_COMMANDS,
  ...SECURITY_GROUP_COMMANDS,
  ...VPN_COMMANDS,
  ...VM_NIC_COMMANDS,
];
