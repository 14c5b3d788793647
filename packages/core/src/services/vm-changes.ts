import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Store } from '../contracts/store.js';
import { invalidParameter, notFound } from '../errors.js';
import type { VirtualMachine } from '../model/vm.js';
import type { SecretBox } from '../security/secret-box.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { ServiceOfferingService } from './service-offerings.js';
import { validate } from './validate.js';
import { VmAccess } from './vm-access.js';
import { VmIdInput } from './vm-inputs.js';
import type { VmView } from './vm-view.js';

/** Input of {@link VmChanges.changeServiceOffering} (`changeServiceForVirtualMachine`). */
export const ChangeVmServiceInput = VmIdInput.extend({ serviceOfferingId: z.string().min(1) });
/** Input of {@link VmChanges.changeServiceOffering}. */
export type ChangeVmServiceInput = z.input<typeof ChangeVmServiceInput>;

/** Input of {@link VmChanges.resetSshKey} (`resetSSHKeyForVirtualMachine`): a key pair of the VM's owner, by name. */
export const ResetVmSshKeyInput = VmIdInput.extend({ keyPair: z.string().min(1) });
/** Input of {@link VmChanges.resetSshKey}. */
export type ResetVmSshKeyInput = z.input<typeof ResetVmSshKeyInput>;

/** A VM with the password a reset generated: returned once, never readable again. */
export interface VmWithPassword extends VmView {
  /** The new guest password, handed to the guest at its next start; absent when the template is not password-enabled. */
  readonly password?: string;
}

/** Length of generated passwords (4.1's `vm.password.length` default). */
const PASSWORD_LENGTH = 6;

/** Characters of generated passwords: letters and digits without the easily confused `0 O 1 l I`. */
const PASSWORD_ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * Changes to a stopped VM's definition, each in one transaction (no device is touched: the
 * next start carries them to the hypervisor):
 * - `changeServiceForVirtualMachine`: another offering — CPU, memory and HA from it; the
 *   storage type must stay (the root disk does not move);
 * - `resetPasswordForVirtualMachine`: for password-enabled templates, a new password from the
 *   injected random source (6 characters, 4.1's default length), sealed with the cloud's key until
 *   the next start hands it to the guest (as 4.1's password server does), returned once;
 * - `resetSSHKeyForVirtualMachine`: another key pair of the owner, injected at the next start
 *   (with a new password too when the template is password-enabled, as 4.1 does).
 * Each is refused (431) while the VM is not Stopped, with nothing changed.
 */
@injectable()
export class VmChanges {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(TOKENS.SecretBox) private readonly secrets: SecretBox,
    @inject(VmAccess) private readonly access: VmAccess,
    @inject(ServiceOfferingService) private readonly offerings: ServiceOfferingService,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Gives a stopped VM another service offering (`changeServiceForVirtualMachine`). */
  async changeServiceOffering(caller: CallContext, input: ChangeVmServiceInput): Promise<VmView> {
    const request = validate(ChangeVmServiceInput, input);
    return this.store.transaction(async (tx) => {
      const vm = await this.access.visible(tx, caller, request.id);
      requireStopped(vm, 'change its service offering');
      const offering = await this.offerings.requireUsable(tx, caller, request.serviceOfferingId);
      if (offering.isSystem) throw notFound('service offering', 'serviceofferingid', request.serviceOfferingId);
      if (offering.id === vm.serviceOfferingId) throw invalidParameter('serviceofferingid', `virtual machine ${vm.name} already has service offering ${offering.name}`);
      const current = await tx.repo('serviceOfferings').get(vm.serviceOfferingId);
      if (current !== undefined && current.storageType !== offering.storageType) {
        throw invalidParameter('serviceofferingid', `service offering ${offering.name} uses ${offering.storageType} storage; the root disk of virtual machine ${vm.name} is on ${current.storageType} storage`);
      }
      const updated = await tx.repo('vms').update({
        ...vm,
        serviceOfferingId: offering.id,
        cpuNumber: offering.cpuNumber,
        cpuSpeed: offering.cpuSpeed,
        memory: offering.memory,
        haEnabled: offering.offerHa,
        updatedAt: isoNow(this.clock),
      });
      await this.events.record(tx, caller, { ...owner(vm), type: 'VM.UPGRADE', description: `Changed the service offering of VM ${vm.name} to ${offering.name}` });
      return this.access.view(tx, updated);
    });
  }

  /** Sets a new guest password on a stopped VM of a password-enabled template (`resetPasswordForVirtualMachine`). */
  async resetPassword(caller: CallContext, input: VmIdInput): Promise<VmWithPassword> {
    const request = validate(VmIdInput, input);
    return this.store.transaction(async (tx) => {
      const vm = await this.access.visible(tx, caller, request.id);
      if (!vm.passwordEnabled) throw invalidParameter('id', `the template of virtual machine ${vm.name} is not password enabled; its password cannot be reset`);
      requireStopped(vm, 'reset its password');
      const password = this.generatePassword(PASSWORD_LENGTH);
      const updated = await tx.repo('vms').update({ ...vm, pendingPasswordSealed: this.secrets.seal(password), updatedAt: isoNow(this.clock) });
      await this.events.record(tx, caller, { ...owner(vm), type: 'VM.RESETPASSWORD', description: `Reset the password of VM ${vm.name}` });
      return { ...(await this.access.view(tx, updated)), password };
    });
  }

  /** Gives a stopped VM another SSH key pair of its owner (`resetSSHKeyForVirtualMachine`). */
  async resetSshKey(caller: CallContext, input: ResetVmSshKeyInput): Promise<VmWithPassword> {
    const request = validate(ResetVmSshKeyInput, input);
    return this.store.transaction(async (tx) => {
      const vm = await this.access.visible(tx, caller, request.id);
      requireStopped(vm, 'reset its SSH key');
      const pair = await tx.repo('sshKeyPairs').findOne({ accountId: vm.accountId, name: request.keyPair });
      if (pair === undefined) throw notFound('SSH key pair', 'keypair', request.keyPair);
      const password = vm.passwordEnabled ? this.generatePassword(PASSWORD_LENGTH) : undefined;
      const updated = await tx.repo('vms').update({
        ...vm,
        keyPair: pair.name,
        sshPublicKey: pair.publicKey,
        ...(password === undefined ? {} : { pendingPasswordSealed: this.secrets.seal(password) }),
        updatedAt: isoNow(this.clock),
      });
      await this.events.record(tx, caller, { ...owner(vm), type: 'VM.RESETSSHKEY', description: `Reset the SSH key of VM ${vm.name} to key pair ${pair.name}` });
      const view = await this.access.view(tx, updated);
      return password === undefined ? view : { ...view, password };
    });
  }

  /** A password of `length` characters of {@link PASSWORD_ALPHABET}, from the injected random source (unbiased). */
  private generatePassword(length: number): string {
    const out: string[] = [];
    const limit = 256 - (256 % PASSWORD_ALPHABET.length);
    while (out.length < length) {
      for (const byte of this.random.bytes(length * 2)) {
        if (byte >= limit) continue;
        out.push(PASSWORD_ALPHABET[byte % PASSWORD_ALPHABET.length]!);
        if (out.length === length) break;
      }
    }
    return out.join('');
  }
}

/** 431 unless the VM is Stopped: these changes take effect at its next start. */
function requireStopped(vm: VirtualMachine, action: string): void {
  if (vm.state !== 'Stopped') throw invalidParameter('id', `virtual machine ${vm.name} is ${vm.state}; stop it to ${action}`);
}

function owner(vm: VirtualMachine): { accountId: string; domainId: string; resourceType: string; resourceId: string } {
  return { accountId: vm.accountId, domainId: vm.domainId, resourceType: 'VirtualMachine', resourceId: vm.id };
}
