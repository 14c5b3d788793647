import { CLOUDSTACK_VERSION } from '../response/xml-serializer.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type CommandDeclaration } from './command.js';

/**
 * Facts of the cloud's state that `listCapabilities` reports and configuration cannot tell.
 * The product supplies them from core's services.
 */
export interface CapabilityFacts {
  /**
   * True when some guest network has the security-group service (4.1 asks
   * `listSecurityGroupEnabledNetworks`). Until core keeps networks, no network can have it, so
   * the default answers false.
   */
  securityGroupsEnabled(): Promise<boolean>;
}

/** The facts of a cloud that has no networks yet. */
export const NO_NETWORK_FACTS: CapabilityFacts = { securityGroupsEnabled: async () => false };

/**
 * `listCapabilities` as 4.1's `ManagementServerImpl.listCapabilities` computes it: the version,
 * security groups from the networks, ELB support (the ELB network type when ELB is enabled and
 * security groups are on, otherwise "false"), and the rest from global configuration; the API
 * rate limit fields only while throttling is enabled.
 */
export function listCapabilitiesCommand(facts: CapabilityFacts): CommandDeclaration {
  return defineCommand({
    ...catalogFacts('listCapabilities'),
    kind: 'sync',
    objectName: 'capability',
    description: 'Lists capabilities',
    params: {},
    response: [
      { name: 'securitygroupsenabled', description: 'true if security groups support is enabled, false otherwise', type: 'boolean' },
      { name: 'cloudstackversion', description: 'version of the cloud stack', type: 'string' },
      { name: 'userpublictemplateenabled', description: 'true if user and domain admins can set templates to be shared, false otherwise', type: 'boolean' },
      { name: 'supportELB', description: 'true if region supports elastic load balancer on basic zones', type: 'string' },
      { name: 'projectinviterequired', description: 'If invitation confirmation is required when add account to project', type: 'boolean' },
      { name: 'allowusercreateprojects', description: 'true if regular user is allowed to create projects', type: 'boolean' },
      { name: 'customdiskofferingmaxsize', description: 'maximum size that can be specified when create disk from disk offering with custom size', type: 'long' },
      { name: 'apilimitinterval', description: 'time interval (in seconds) to reset api count', type: 'integer' },
      { name: 'apilimitmax', description: 'Max allowed number of api requests within the specified interval', type: 'integer' },
    ],
    async execute(context) {
      const config = context.config;
      const securityGroupsEnabled = await facts.securityGroupsEnabled();
      let supportElb = 'false';
      if (securityGroupsEnabled && (await config.flag('network.loadbalancer.basiczone.elb.enabled'))) {
        supportElb = (await config.string('network.loadbalancer.basiczone.elb.network')) ?? 'false';
      }
      const throttling = await config.flag('api.throttling.enabled');
      return {
        type: 'object',
        object: {
          securitygroupsenabled: securityGroupsEnabled,
          cloudstackversion: CLOUDSTACK_VERSION,
          userpublictemplateenabled: await config.flag('allow.public.user.templates'),
          supportELB: supportElb,
          projectinviterequired: await config.flag('project.invite.required'),
          allowusercreateprojects: await config.flag('allow.user.create.projects'),
          customdiskofferingmaxsize: await config.number('custom.diskoffering.size.max'),
          apilimitinterval: throttling ? await config.number('api.throttling.interval') : undefined,
          apilimitmax: throttling ? await config.number('api.throttling.max') : undefined,
        },
      };
    },
  });
}

