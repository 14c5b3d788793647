import type { Cloud } from '@cloudstack-sdk/core';
import type { ApiAuthenticator, ApiKeyIdentity, LoginRequest, LoginResult } from './authenticator.js';

/**
 * The API's authenticator over core's authentication service, run as SYSTEM (only a root admin
 * may look up keys and check credentials). A disabled or unknown key, and a failed login, come
 * back as core's `CloudError`s, which the API turns into 401 and 531 replies.
 */
export function coreAuthenticator(cloud: Cloud): ApiAuthenticator {
  const authentication = cloud.system.authentication;
  return {
    async findByApiKey(apiKey: string): Promise<ApiKeyIdentity | undefined> {
      const owner = await authentication.byApiKey(apiKey);
      return { caller: owner.caller, secretKey: owner.secretKey };
    },
    async login(request: LoginRequest): Promise<LoginResult | undefined> {
      const user = await authentication.authenticate({
        username: request.username,
        password: request.password,
        ...(request.domainId !== undefined ? { domainId: request.domainId } : { domainPath: request.domainPath ?? '/' }),
      });
      return {
        caller: user.caller,
        username: user.user.username,
        firstName: user.user.firstName,
        lastName: user.user.lastName,
        accountName: user.account.name,
        // 4.1 sets `registered` only for users who signed up through a registration token, which core does not offer.
        registered: false,
        ...(user.user.timezone === undefined ? {} : { timeZone: user.user.timezone }),
      };
    },
  };
}
