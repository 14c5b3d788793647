import { createCloud, ManualClock, type Cloud, type CloudOptions, type Store } from '../../src/index.js';

/**
 * Makes the store a test cloud runs on. The memory store by default; a store package's tier
 * (the MySQL store) sets `CLOUD_TEST_STORE_MODULE` to a module whose default export is a
 * factory, so every service suite runs against that store too.
 */
async function makeStore(): Promise<Store | undefined> {
  const modulePath = process.env.CLOUD_TEST_STORE_MODULE;
  if (modulePath === undefined || modulePath === '') return undefined;
  const module = (await import(modulePath)) as { default: () => Promise<Store> };
  return module.default();
}

/** Fast scrypt factors for tests: hashing stays real but takes microseconds. */
export const TEST_PASSWORD_HASHING = { N: 1024, r: 8, p: 1 } as const;

/** A cloud for service tests: a manual clock, fast password hashing, and the tier's store. */
export async function createTestCloud(options: CloudOptions = {}): Promise<Cloud & { clock: ManualClock }> {
  const clock = options.clock instanceof ManualClock ? options.clock : new ManualClock();
  const store = options.store ?? (await makeStore());
  const cloud = await createCloud({
    passwordHashing: TEST_PASSWORD_HASHING,
    ...options,
    clock,
    ...(store === undefined ? {} : { store, secrets: options.secrets ?? testKeyring() }),
  });
  return Object.assign(cloud, { clock });
}

/** A fixed keyring for tests that need a persistent store. */
export function testKeyring() {
  return { activeKeyId: 'test', keys: { test: Buffer.alloc(32, 7).toString('base64') } };
}
