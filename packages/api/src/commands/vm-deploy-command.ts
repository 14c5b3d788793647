import { CloudError, ErrorCode, HYPERVISOR_TYPES, USER_DATA_MAX_BYTES } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import { catalogFacts } from './catalog.js';
import { defineCommand } from './command.js';
import { defined } from './defined.js';
import { VM_RESPONSE_FIELDS, unsupportedParameter, vmObject } from './vm-support.js';

/** Longest base64 text of user data core accepts (32 KB decoded). */
const USER_DATA_BASE64_LENGTH = Math.ceil(USER_DATA_MAX_BYTES / 3) * 4;

/**
 * `deployVirtualMachine` (async-create, everyone; Libcloud's `create_node`, cs). As in 4.1 the
 * VM row exists before the accept reply `{id, jobid}`: core records it `Stopped` (zone,
 * offering, template, key pair, user data, name and the `user_vm` limit are checked then, 431 /
 * 532 refusing with nothing left behind); the job then starts it (unless `startvm=false`) and
 * answers `{"virtualmachine":{…}}`. A failed start fails the job (530 with the reason).
 *
 * `templateid` may name a bootable ISO: the VM then boots from it with a blank ROOT disk sized by
 * `diskofferingid` (required then) and runs on `hypervisor` (any the zone has when absent).
 * From a template, `diskofferingid` (with `size` for a custom offering) adds a data disk
 * attached once the VM runs, and `hypervisor`, when given, must be the template's (431).
 *
 * In an advanced zone `networkids` (a comma list, the first network the default) puts a NIC on
 * each named guest network and `ipaddress` picks the default NIC's address; without them the
 * owner's isolated network in the zone is used (created from the Required offering for its
 * first VM there). A basic zone refuses both (431; `networkids` in 4.1's words).
 *
 * In a zone with security groups the VM joins `securitygroupids` or `securitygroupnames` (not
 * both), or its owner's `default` group; elsewhere naming a group is refused (431). What core
 * cannot honour is refused naming the parameter, never ignored: `projectid`.
 */
export const deployVirtualMachine = defineCommand({
  ...catalogFacts('deployVirtualMachine'),
  kind: 'async-create',
  objectName: 'virtualmachine',
  description: 'Creates and automatically starts a virtual machine based on a service offering, disk offering, and template.',
  params: {
    serviceofferingid: param.uuid('the ID of the service offering for the virtual machine', { required: true }),
    templateid: param.uuid('the ID of the template for the virtual machine', { required: true }),
    zoneid: param.uuid('availability zone for the virtual machine', { required: true }),
    name: param.string('host name for the virtual machine'),
    displayname: param.string('an optional user generated name for the virtual machine'),
    group: param.string('an optional group for the virtual machine'),
    keypair: param.string('name of the ssh key pair used to login to the virtual machine'),
    userdata: param.string('an optional binary data that can be sent to the virtual machine upon a successful deployment. This binary data must be base64 encoded before adding it to the request.', { length: USER_DATA_BASE64_LENGTH }),
    hypervisor: param.oneOf('the hypervisor on which to deploy the virtual machine', HYPERVISOR_TYPES),
    hostid: param.uuid('destination Host ID to deploy the VM to - parameter available for root admin only'),
    startvm: param.boolean('true if network offering supports specifying ip ranges; defaulted to true if not specified'),
    account: param.string('an optional account for the virtual machine. Must be used with domainId.'),
    domainid: param.uuid('an optional domainId for the virtual machine. If the account parameter is used, domainId must also be used.'),
    networkids: param.list('list of network ids used by virtual machine. Can\'t be specified with ipToNetworkList parameter'),
    securitygroupids: param.list('comma separated list of security groups id that going to be applied to the virtual machine.'),
    securitygroupnames: param.list('comma separated list of security groups names that going to be applied to the virtual machine.'),
    diskofferingid: param.uuid('the ID of the disk offering for the virtual machine. If the template is of ISO format, the diskOfferingId is for the root disk volume. Otherwise this parameter is used to indicate the offering for the data disk volume.'),
    size: param.long('the arbitrary size in GB for the DATADISK volume (or, from an ISO, the ROOT volume) of a custom disk offering named by diskOfferingId'),
    ipaddress: param.string('the ip address for default vm\'s network'),
    projectid: param.uuid('Deploy vm for the project'),
  },
  response: VM_RESPONSE_FIELDS,
  related: ['startVirtualMachine', 'stopVirtualMachine', 'listVirtualMachines'],
  async start(context, params) {
    // 4.1's own words in a basic zone; elsewhere core checks each network (431 networkids).
    if (params.networkids !== undefined && (await context.cloud.store.transaction((tx) => tx.repo('zones').get(params.zoneid)))?.networkType === 'Basic') throw new CloudError(ErrorCode.PARAM_ERROR, "Can't specify network Ids in Basic zone", { param: 'networkids' });
    if (params.projectid !== undefined) throw unsupportedParameter('projectid', 'projects are not supported by this cloud yet');
    const created = await context.services.vms.deploy({
      zoneId: params.zoneid,
      serviceOfferingId: params.serviceofferingid,
      templateId: params.templateid,
      startVm: false,
      ...defined({
        name: params.name,
        displayName: params.displayname,
        group: params.group,
        keyPair: params.keypair,
        userData: params.userdata,
        hostId: params.hostid,
        hypervisor: params.hypervisor,
        diskOfferingId: params.diskofferingid,
        size: params.size,
        account: params.account,
        domainId: params.domainid,
        networkIds: params.networkids,
        ipAddress: params.ipaddress,
        securityGroupIds: params.securitygroupids,
        securityGroupNames: params.securitygroupnames,
      }),
    });
    const startVm = params.startvm ?? true;
    return {
      instanceType: 'VirtualMachine',
      instanceId: created.id,
      async work() {
        // The first start of a deployment: a failure leaves the VM in Error, as a failed deploy does.
        const vm = startVm ? await context.services.vms.startDeployed({ id: created.id, ...defined({ hostId: params.hostid }) }) : await context.services.vms.get({ id: created.id });
        return { type: 'object', object: await vmObject(context, vm) };
      },
    };
  },
});
