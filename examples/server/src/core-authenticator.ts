import type { ApiAuthenticator } from '@cloudstack-sdk/api';
import { isCloudError, type Cloud } from '@cloudstack-sdk/core';

/**
 * The API's authenticator backed by core's accounts: API keys are looked up through the
 * indexed key, logins check the password (or its MD5 hex) and count failures, both run as
 * SYSTEM because they hand out call contexts and secret keys.
 */
export function coreAuthenticator(cloud: Cloud): ApiAuthenticator {
  const auth = cloud.system.authentication;
  return {
    async findByApiKey(apiKey) {
      try {
        const owner = await auth.byApiKey(apiKey);
        return { caller: owner.caller, secretKey: owner.secretKey };
      } catch (error) {
        // An unknown or disabled key is a plain 401, like a bad signature.
        if (isCloudError(error)) return undefined;
        throw error;
      }
    },
    async login(request) {
      const user = await auth.authenticate({
        username: request.username,
        password: request.password,
        ...(request.domainPath === undefined ? {} : { domainPath: request.domainPath }),
        ...(request.domainId === undefined ? {} : { domainId: request.domainId }),
      });
      return {
        caller: user.caller,
        username: user.user.username,
        firstName: user.user.firstName,
        lastName: user.user.lastName,
        accountName: user.account.name,
        registered: false,
        ...(user.user.timezone === undefined ? {} : { timeZone: user.user.timezone }),
      };
    },
  };
}
