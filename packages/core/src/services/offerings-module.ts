import type { DependencyContainer } from 'tsyringe';
import type { AreaModule } from './area-module.js';
import { bindCaller, type BoundService } from './bind-caller.js';
import { DiskOfferingService } from './disk-offerings.js';
import { ServiceOfferingService } from './service-offerings.js';

/** The caller-bound services of the offerings area. */
export interface OfferingServices {
  /** Service (compute) offerings. */
  readonly serviceOfferings: BoundService<ServiceOfferingService>;
  /** Disk offerings. */
  readonly diskOfferings: BoundService<DiskOfferingService>;
}

/** Service and disk offerings, with the built-in ones of a fresh installation. */
export const offeringsModule: AreaModule<OfferingServices> = {
  name: 'offerings',
  services: [ServiceOfferingService, DiskOfferingService],
  async start(container: DependencyContainer) {
    await container.resolve(ServiceOfferingService).seedDefaults();
    await container.resolve(DiskOfferingService).seedDefaults();
  },
  facade: (container, caller) => ({
    serviceOfferings: bindCaller(container.resolve(ServiceOfferingService), caller),
    diskOfferings: bindCaller(container.resolve(DiskOfferingService), caller),
  }),
};
