import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { ConfigReader } from '../config/config-reader.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Filter, Page, Store, Transaction } from '../contracts/store.js';
import { invalidParameter, notFound } from '../errors.js';
import type { Account } from '../model/account.js';
import type { SshKeyPair } from '../model/ssh-key-pair.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { PagingInput, pageWindow } from './paging.js';
import { SshKeyGenerator } from './ssh-key-generator.js';
import { parseSshPublicKey, sshFingerprint } from './ssh-public-key.js';
import { validate } from './validate.js';
import { Visibility, VisibilityInput } from './visibility.js';

/** Whose key pair: the caller's account unless an admin names another (`account` + `domainId`). */
const KeyPairOwnerInput = z.object({
  /** The owning account's name (admins; in `domainId` or the caller's domain). */
  account: z.string().min(1).optional(),
  /** The owning account's domain (admins). */
  domainId: z.string().min(1).optional(),
});

/** A key pair's name: unique within its account. */
const KeyPairName = z.string().trim().min(1).max(255);

/** Input of {@link SshKeyPairService.create}. */
export const CreateSshKeyPairInput = KeyPairOwnerInput.extend({ name: KeyPairName });
/** Input of {@link SshKeyPairService.create}. */
export type CreateSshKeyPairInput = z.input<typeof CreateSshKeyPairInput>;

/** Input of {@link SshKeyPairService.register}. */
export const RegisterSshKeyPairInput = KeyPairOwnerInput.extend({
  name: KeyPairName,
  /** An OpenSSH public key line (`ssh-rsa AAAA… comment`). */
  publicKey: z.string().min(1).max(16_384),
});
/** Input of {@link SshKeyPairService.register}. */
export type RegisterSshKeyPairInput = z.input<typeof RegisterSshKeyPairInput>;

/** Input of {@link SshKeyPairService.delete}. */
export const DeleteSshKeyPairInput = KeyPairOwnerInput.extend({ name: KeyPairName });
/** Input of {@link SshKeyPairService.delete}. */
export type DeleteSshKeyPairInput = z.input<typeof DeleteSshKeyPairInput>;

/** Filters of {@link SshKeyPairService.list}. */
export const ListSshKeyPairsInput = VisibilityInput.extend({
  name: z.string().optional(),
  fingerprint: z.string().optional(),
  keyword: z.string().optional(),
}).extend(PagingInput.shape);
/** Filters of {@link SshKeyPairService.list}. */
export type ListSshKeyPairsInput = z.input<typeof ListSshKeyPairsInput>;

/** A key pair as `listSSHKeyPairs` and `registerSSHKeyPair` show it. */
export interface SshKeyPairView {
  /** The key pair's id. */
  readonly id: string;
  /** Its name. */
  readonly name: string;
  /** Colon-separated MD5 fingerprint. */
  readonly fingerprint: string;
  /** The OpenSSH public key line. */
  readonly publicKey: string;
  /** The owning account. */
  readonly accountId: string;
  /** The owning account's domain. */
  readonly domainId: string;
  /** ISO creation time. */
  readonly createdAt: string;
}

/** A generated key pair: the view plus the private key, returned this once and never stored. */
export interface CreatedSshKeyPair extends SshKeyPairView {
  /** PEM private key (`-----BEGIN RSA PRIVATE KEY-----`). */
  readonly privateKey: string;
}

function viewOf(pair: SshKeyPair): SshKeyPairView {
  return {
    id: pair.id,
    name: pair.name,
    fingerprint: pair.fingerprint,
    publicKey: pair.publicKey,
    accountId: pair.accountId,
    domainId: pair.domainId,
    createdAt: pair.createdAt,
  };
}

/** Deletes every key pair of an account; the accounts area registers it as an account cleanup. */
export async function deleteSshKeyPairsOf(tx: Transaction, account: Account): Promise<void> {
  const repo = tx.repo('sshKeyPairs');
  for (const pair of (await repo.find({ where: { accountId: account.id } })).items) await repo.delete(pair.id);
}

/**
 * SSH key pairs (guide 5.2): generate one (the private key is returned once and never
 * stored), register an existing public key, list and delete; names are unique per account.
 */
@injectable()
export class SshKeyPairService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(EventRecorder) private readonly events: EventRecorder,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(SshKeyGenerator) private readonly generator: SshKeyGenerator,
  ) {}

  /** Generates an RSA key pair for the account; returns the private key once. */
  async create(caller: CallContext, input: CreateSshKeyPairInput): Promise<CreatedSshKeyPair> {
    const request = validate(CreateSshKeyPairInput, input);
    // Check the owner and the name before spending time on a key; checked again when inserting.
    await this.store.transaction(async (tx) => this.assertNameFree(tx, await this.owner(tx, caller, request), request.name));
    const generated = await this.generator.generate();
    const parsed = parseSshPublicKey(generated.publicKey);
    const pair = await this.insert(caller, request, parsed.line, sshFingerprint(parsed.blob), 'CREATE.SSH.KEYPAIR');
    return { ...pair, privateKey: generated.privateKey };
  }

  /** Registers an existing OpenSSH public key under a name. */
  async register(caller: CallContext, input: RegisterSshKeyPairInput): Promise<SshKeyPairView> {
    const request = validate(RegisterSshKeyPairInput, input);
    const parsed = parseSshPublicKey(request.publicKey);
    return this.insert(caller, request, parsed.line, sshFingerprint(parsed.blob), 'REGISTER.SSH.KEYPAIR');
  }

  /** Deletes a key pair of the account by name. */
  async delete(caller: CallContext, input: DeleteSshKeyPairInput): Promise<void> {
    const request = validate(DeleteSshKeyPairInput, input);
    await this.store.transaction(async (tx) => {
      const account = await this.owner(tx, caller, request);
      const pair = await this.byName(tx, account.id, request.name);
      if (pair === undefined) throw notFound('SSH key pair', 'name', request.name);
      await tx.repo('sshKeyPairs').delete(pair.id, pair.version);
      await this.events.record(tx, caller, {
        type: 'DELETE.SSH.KEYPAIR',
        description: `Deleted SSH key pair ${pair.name}`,
        resourceType: 'SSHKeyPair',
        resourceId: pair.id,
        accountId: pair.accountId,
        domainId: pair.domainId,
      });
    });
  }

  /** Key pairs the caller may see, by name. */
  async list(caller: CallContext, input: ListSshKeyPairsInput = {}): Promise<Page<SshKeyPairView>> {
    const query = validate(ListSshKeyPairsInput, input);
    return this.store.transaction(async (tx) => {
      const scope = await this.visibility.scope(tx, caller, query);
      const where: Filter<SshKeyPair> = {
        ...this.visibility.ownerFilter(scope),
        ...(query.name !== undefined ? { name: query.name } : query.keyword !== undefined ? { name: { like: query.keyword } } : {}),
        ...(query.fingerprint === undefined ? {} : { fingerprint: query.fingerprint.toLowerCase() }),
      };
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      const page = await tx.repo('sshKeyPairs').find({ where, orderBy: [{ field: 'name' }], ...window });
      return { items: page.items.map(viewOf), total: page.total };
    });
  }

  /** The key pair of an account by name, for services that hand a public key to a VM. */
  async get(caller: CallContext, input: DeleteSshKeyPairInput): Promise<SshKeyPairView> {
    const request = validate(DeleteSshKeyPairInput, input);
    return this.store.transaction(async (tx) => {
      const account = await this.owner(tx, caller, request);
      const pair = await this.byName(tx, account.id, request.name);
      if (pair === undefined) throw notFound('SSH key pair', 'name', request.name);
      return viewOf(pair);
    });
  }

  private async insert(
    caller: CallContext,
    request: z.output<typeof KeyPairOwnerInput> & { name: string },
    publicKey: string,
    fingerprint: string,
    eventType: string,
  ): Promise<SshKeyPairView> {
    return this.store.transaction(async (tx) => {
      const account = await this.owner(tx, caller, request);
      await this.assertNameFree(tx, account, request.name);
      const pair = await tx.repo('sshKeyPairs').insert({
        id: this.random.uuid(),
        name: request.name,
        accountId: account.id,
        domainId: account.domainId,
        publicKey,
        fingerprint,
        createdAt: isoNow(this.clock),
      });
      await this.events.record(tx, caller, {
        type: eventType,
        description: `SSH key pair ${pair.name} (${fingerprint}) for account ${account.name}`,
        resourceType: 'SSHKeyPair',
        resourceId: pair.id,
        accountId: account.id,
        domainId: account.domainId,
      });
      return viewOf(pair);
    });
  }

  private owner(tx: Transaction, caller: CallContext, request: z.output<typeof KeyPairOwnerInput>): Promise<Account> {
    return this.visibility.targetAccount(tx, caller, request);
  }

  private async byName(tx: Transaction, accountId: string, name: string): Promise<SshKeyPair | undefined> {
    const { items } = await tx.repo('sshKeyPairs').find({ where: { accountId, name: { like: name } } });
    return items.find((p) => p.name.toLowerCase() === name.toLowerCase());
  }

  private async assertNameFree(tx: Transaction, account: Account, name: string): Promise<void> {
    if ((await this.byName(tx, account.id, name)) !== undefined) {
      throw invalidParameter('name', `A key pair with name '${name}' already exists`);
    }
  }
}
