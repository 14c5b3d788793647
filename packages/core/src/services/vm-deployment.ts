import { inject, injectable } from 'tsyringe';
import { isAdmin, type CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Store, Transaction } from '../contracts/store.js';
import type { HypervisorType } from '../contracts/hypervisor.js';
import { invalidParameter, notFound, permissionDenied } from '../errors.js';
import { isIso, type Template } from '../model/template.js';
import type { VirtualMachine } from '../model/vm.js';
import type { Volume } from '../model/volume.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { ResourceLimitService } from './resource-limits.js';
import { ServiceOfferingService } from './service-offerings.js';
import { launchableTemplate } from './template-access.js';
import { TemplateService } from './templates.js';
import { validate } from './validate.js';
import { Visibility } from './visibility.js';
import { VmAccess } from './vm-access.js';
import { DeployVmInput } from './vm-inputs.js';
import { VmPower } from './vm-power.js';
import { VmReservations } from './vm-reservations.js';
import { VmNetworks } from './vm-networks.js';
import { SecurityGroupMembership } from './security-group-membership.js';
import { UsageRecorder } from './usage-recorder.js';
import { VolumeAttachment } from './volume-attachment.js';
import { VolumeLifecycle } from './volume-lifecycle.js';
import { z } from 'zod';
import type { VmView } from './vm-view.js';

/** The counter numbering instance names (`i-<n>-VM`). */
export const VM_SEQUENCE_COUNTER = 'vm:sequence';

/** The data-disk part of a deployment (`diskofferingid`, and `size` in GB for a custom offering). */
export const DeployDataDiskInput = DeployVmInput.pick({ diskOfferingId: true, size: true });
/** The data-disk part of a deployment. */
export type DeployDataDiskInput = z.input<typeof DeployDataDiskInput>;

/** The parsed deploy input. */
type DeploySpec = ReturnType<typeof DeployVmInput.parse>;

/** What an ISO deployment adds: the ROOT disk's offering and size, and how the hypervisor was chosen. */
interface IsoBoot {
  /** The disk offering sizing the blank ROOT disk. */
  readonly diskOfferingId: string;
  /** The ROOT disk's size in bytes. */
  readonly rootDiskBytes: number;
  /** The hypervisor recorded now (provisional when `pending`). */
  readonly hypervisorType: HypervisorType;
  /** True when no `hypervisor` was given: the first placement picks any the zone has. */
  readonly pending: boolean;
}

/**
 * `deployVirtualMachine`: checks the offering, template (downloaded in the zone), zone (basic
 * zones only until guest networks exist), key pair and user data; in one transaction claims
 * the owner's `user_vm` limit (532), a MAC, and — when starting — host capacity, the root
 * disk's bytes on the planner's pool and a direct guest IP of the chosen pod (533 naming what
 * was short), and records the VM (`Starting`, or `Stopped` with `startVm: false`) with an
 * event; then starts it through the driver. A refused deployment leaves nothing behind; a
 * failed first start leaves the VM in `Error`, holding nothing but its place in the limit.
 *
 * From a bootable ISO (4.1's ISO deployment) `diskOfferingId` is required and sizes the blank
 * ROOT disk (`size` for a custom offering) instead of adding a data disk; the hypervisor is the
 * `hypervisor` input (a cluster of the zone must run it) or, when absent, whichever the planner
 * finds room on at the first start; the ISO is recorded as the VM's `isoId` and handed to the
 * hypervisor as its CD-ROM, which the VM boots from.
 */
@injectable()
export class VmDeployment {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(ServiceOfferingService) private readonly offerings: ServiceOfferingService,
    @inject(TemplateService) private readonly templates: TemplateService,
    @inject(ResourceLimitService) private readonly limits: ResourceLimitService,
    @inject(VmReservations) private readonly reservations: VmReservations,
    @inject(VmPower) private readonly power: VmPower,
    @inject(VmAccess) private readonly access: VmAccess,
    @inject(EventRecorder) private readonly events: EventRecorder,
    @inject(VolumeLifecycle) private readonly volumes: VolumeLifecycle,
    @inject(VolumeAttachment) private readonly attachment: VolumeAttachment,
    @inject(UsageRecorder) private readonly usage: UsageRecorder,
    @inject(VmNetworks) private readonly vmNetworks: VmNetworks,
    @inject(SecurityGroupMembership) private readonly securityGroups: SecurityGroupMembership,
  ) {}

  /** Deploys a VM; returns it Running (or Stopped with `startVm: false`). */
  async deploy(caller: CallContext, input: DeployVmInput): Promise<VmView> {
    const spec = validate(DeployVmInput, input);
    const disk = spec;
    if (spec.hostId !== undefined && !isAdmin(caller)) throw permissionDenied('Only administrators may choose the host a VM is deployed on', 'hostid');
    if (disk.size !== undefined && disk.diskOfferingId === undefined) throw invalidParameter('size', 'size is given with a custom disk offering (diskofferingid)');
    const outcome = await this.store.transaction(async (tx) => {
      const { vm, iso } = await this.create(tx, caller, spec);
      const dataDisk = iso !== undefined || disk.diskOfferingId === undefined ? undefined : { diskOfferingId: disk.diskOfferingId, ...(disk.size === undefined ? {} : { size: disk.size }) };
      const { root, data } = await this.volumes.createForDeployment(tx, caller, vm, dataDisk);
      if (iso !== undefined) await this.blankRoot(tx, root, iso.diskOfferingId);
      await this.usage.vmCreated(tx, vm);
      const networked = await this.vmNetworks.needsImplementing(tx, vm.id);
      // A VM on guest networks starts after its networks are implemented (outside this transaction).
      if (!spec.startVm || networked) return { view: await this.access.view(tx, vm), dataDiskId: data?.id, networked };
      return { prepared: await this.power.prepareStart(tx, caller, vm, spec.hostId), dataDiskId: data?.id, networked };
    });
    let view: VmView;
    if (outcome.prepared !== undefined) view = await this.power.completeStart(caller, outcome.prepared, 'Error');
    else if (outcome.networked && spec.startVm) {
      // The start implements the VM's networks first (a failure leaves the VM in Error).
      view = await this.power.startDeployed(caller, { id: outcome.view.id, ...(spec.hostId === undefined ? {} : { hostId: spec.hostId }) });
    } else view = outcome.view;
    if (outcome.dataDiskId !== undefined) await this.attachDataDisk(caller, view, outcome.dataDiskId);
    return view;
  }

  /**
   * Attaches the deployment's data disk: created on a pool of the VM's cluster and plugged in
   * when the VM runs; only recorded (`Allocated`) when it has not run yet, and then placed by
   * its first start (`VmPendingDisks`). A failed attach leaves the disk
   * `Allocated` and detached (with an ERROR event) and the VM as deployed.
   */
  private async attachDataDisk(caller: CallContext, vm: VmView, volumeId: string): Promise<void> {
    if (vm.state !== 'Running' && vm.state !== 'Stopped') return;
    await this.attachment.attach(caller, { id: volumeId, virtualMachineId: vm.id }).catch(() => undefined);
  }

  /** An ISO deployment's ROOT volume is blank: sized by its disk offering, cloned from no template. */
  private async blankRoot(tx: Transaction, root: Volume, diskOfferingId: string): Promise<void> {
    const { templateId: _template, ...blank } = root;
    await tx.repo('volumes').update({ ...blank, diskOfferingId });
  }

  /**
   * The image a deployment boots: a template the caller may launch, downloaded in the zone
   * (`TemplateService.requireUsable`), or a bootable ISO the caller may launch with a
   * downloaded copy in the zone; 431 naming `templateid` otherwise.
   */
  private async image(tx: Transaction, caller: CallContext, templateId: string, zoneId: string): Promise<Template> {
    const row = await tx.repo('templates').get(templateId);
    if (row === undefined || !isIso(row)) return this.templates.requireUsable(tx, caller, templateId, zoneId);
    const iso = await launchableTemplate(tx, this.visibility, caller, templateId, true, 'templateid');
    if (!iso.bootable) throw invalidParameter('templateid', `ISO ${iso.name} is not bootable; a VM can be deployed only from a bootable ISO`);
    const ready = iso.crossZones
      ? await tx.repo('templateCopies').findOne({ templateId: iso.id, state: 'DOWNLOADED' })
      : await tx.repo('templateCopies').findOne({ templateId: iso.id, zoneId, state: 'DOWNLOADED' });
    if (ready === undefined) throw invalidParameter('templateid', `ISO ${iso.name} is not ready in zone ${zoneId}: its download has not completed`);
    return iso;
  }

  /**
   * An ISO deployment's ROOT disk and hypervisor: `diskofferingid` is required (431) and sizes
   * the disk; a named hypervisor must run in one of the zone's clusters (431 `hypervisor`),
   * otherwise the zone's first (by name) is recorded provisionally and the first placement
   * decides.
   */
  private async isoBoot(tx: Transaction, caller: CallContext, spec: DeploySpec, zoneId: string, zoneName: string): Promise<IsoBoot> {
    if (spec.diskOfferingId === undefined) throw invalidParameter('diskofferingid', 'a VM deployed from an ISO needs a disk offering for its ROOT disk');
    const offering = await this.volumes.offering(tx, caller, spec.diskOfferingId);
    const rootDiskBytes = await this.volumes.sizeFor(tx, offering, spec.size);
    const clusters = (await tx.repo('clusters').find({ where: { zoneId }, orderBy: [{ field: 'name' }, { field: 'id' }] })).items;
    if (spec.hypervisor !== undefined) {
      if (!clusters.some((c) => c.hypervisorType === spec.hypervisor)) throw invalidParameter('hypervisor', `zone ${zoneName} has no ${spec.hypervisor} cluster`);
      return { diskOfferingId: offering.id, rootDiskBytes, hypervisorType: spec.hypervisor, pending: false };
    }
    const first = clusters[0];
    if (first === undefined) throw invalidParameter('zoneid', `zone ${zoneName} has no cluster to run a VM booted from an ISO on`);
    return { diskOfferingId: offering.id, rootDiskBytes, hypervisorType: first.hypervisorType, pending: true };
  }

  private async create(tx: Transaction, caller: CallContext, spec: DeploySpec): Promise<{ readonly vm: VirtualMachine; readonly iso?: IsoBoot }> {
    const owner = await this.visibility.targetAccount(tx, caller, { ...(spec.account === undefined ? {} : { account: spec.account }), ...(spec.domainId === undefined ? {} : { domainId: spec.domainId }) });
    const zone = await tx.repo('zones').get(spec.zoneId);
    if (zone === undefined) throw notFound('zone', 'zoneid', spec.zoneId);
    const offering = await this.offerings.requireUsable(tx, caller, spec.serviceOfferingId);
    if (offering.isSystem) throw notFound('service offering', 'serviceofferingid', spec.serviceOfferingId);
    const template = await this.image(tx, caller, spec.templateId, zone.id);
    let iso: IsoBoot | undefined;
    let hypervisorType: HypervisorType;
    let rootDiskBytes: number;
    if (isIso(template)) {
      iso = await this.isoBoot(tx, caller, spec, zone.id, zone.name);
      hypervisorType = iso.hypervisorType;
      rootDiskBytes = iso.rootDiskBytes;
    } else {
      if (template.hypervisor === 'None') throw invalidParameter('templateid', `${template.name} is not a bootable template`);
      if (spec.hypervisor !== undefined && spec.hypervisor !== template.hypervisor) throw invalidParameter('hypervisor', `template ${template.name} runs on ${template.hypervisor}, not ${spec.hypervisor}`);
      hypervisorType = template.hypervisor;
      const copy = template.crossZones
        ? await tx.repo('templateCopies').findOne({ templateId: template.id, state: 'DOWNLOADED' })
        : await tx.repo('templateCopies').findOne({ templateId: template.id, zoneId: zone.id, state: 'DOWNLOADED' });
      rootDiskBytes = copy?.sizeBytes ?? 0;
    }
    let sshPublicKey: string | undefined;
    if (spec.keyPair !== undefined) {
      const pair = await tx.repo('sshKeyPairs').findOne({ accountId: owner.id, name: spec.keyPair });
      if (pair === undefined) throw notFound('SSH key pair', 'keypair', spec.keyPair);
      sshPublicKey = pair.publicKey;
    }
    await this.limits.reserve(tx, owner.id, 'user_vm', 1);
    const sequence = await tx.counters.adjust(VM_SEQUENCE_COUNTER, 1);
    const id = this.random.uuid();
    const name = spec.name ?? `VM-${id}`;
    if ((await tx.repo('vms').count({ accountId: owner.id, name })) > 0) throw invalidParameter('name', `account ${owner.name} already has a VM named ${name}`);
    const now = isoNow(this.clock);
    const vm = await tx.repo('vms').insert({
      id,
      name,
      instanceName: `i-${sequence.value}-VM`,
      displayName: spec.displayName ?? name,
      ...(spec.group === undefined ? {} : { group: spec.group }),
      accountId: owner.id,
      domainId: owner.domainId,
      zoneId: zone.id,
      serviceOfferingId: offering.id,
      templateId: template.id,
      guestOsId: template.osTypeId,
      hypervisorType,
      ...(iso?.pending === true ? { hypervisorPending: true } : {}),
      ...(iso === undefined ? {} : { isoId: template.id }),
      cpuNumber: offering.cpuNumber,
      cpuSpeed: offering.cpuSpeed,
      memory: offering.memory,
      haEnabled: offering.offerHa,
      rootDiskBytes,
      ...(spec.userData === undefined ? {} : { userData: spec.userData }),
      ...(spec.keyPair === undefined ? {} : { keyPair: spec.keyPair }),
      ...(sshPublicKey === undefined ? {} : { sshPublicKey }),
      passwordEnabled: template.passwordEnabled,
      state: 'Stopped',
      createdAt: now,
      updatedAt: now,
    });
    await this.vmNetworks.createNics(tx, caller, vm, owner, zone, { ...(spec.networkIds === undefined ? {} : { networkIds: spec.networkIds }), ...(spec.ipAddress === undefined ? {} : { ipAddress: spec.ipAddress }) }, now);
    await this.securityGroups.join(tx, caller, vm, owner, zone, { ...(spec.securityGroupIds === undefined ? {} : { securityGroupIds: spec.securityGroupIds }), ...(spec.securityGroupNames === undefined ? {} : { securityGroupNames: spec.securityGroupNames }) });
    await this.events.record(tx, caller, { accountId: owner.id, domainId: owner.domainId, type: 'VM.CREATE', resourceType: 'VirtualMachine', resourceId: vm.id, description: `Created VM ${name}${iso === undefined ? '' : ` from ISO ${template.name}`}` });
    return { vm, ...(iso === undefined ? {} : { iso }) };
  }
}
