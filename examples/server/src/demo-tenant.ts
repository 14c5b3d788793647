import type { CloudServices } from '@cloudstack-sdk/core';

/** A demo tenant's credentials, for pointing a client at the server. */
export interface DemoTenant {
  /** The domain path to log in with. */
  readonly domainPath: string;
  /** The user name. */
  readonly username: string;
  /** The password (the demo's own, printed on purpose). */
  readonly password: string;
  /** API key for signed requests. */
  readonly apiKey: string;
  /** Secret key for signed requests. */
  readonly secretKey: string;
}

/** Creates the domain `/Demo/`, a user account `demo` in it, and API keys for its user. */
export async function buildDemoTenant(admin: CloudServices): Promise<DemoTenant> {
  const domain = await admin.domains.create({ name: 'Demo' });
  const password = 'demo-password';
  const created = await admin.accounts.create({
    domainId: domain.id,
    accountName: 'demo',
    username: 'demo',
    password,
    firstName: 'Demo',
    lastName: 'User',
    email: 'demo@example.org',
  });
  const keys = await admin.users.registerKeys({ id: created.user.id });
  return { domainPath: domain.path, username: 'demo', password, apiKey: keys.apiKey, secretKey: keys.secretKey };
}
