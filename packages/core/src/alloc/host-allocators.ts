import { inject, injectable } from 'tsyringe';
import { FirstFitHostAllocator } from './first-fit-host-allocator.js';
import type { HostAllocator } from './host-allocator.js';
import { RandomHostAllocator } from './random-host-allocator.js';
import { UserDispersingHostAllocator } from './user-dispersing-host-allocator.js';

/**
 * The host allocators by `vm.allocation.algorithm`. The pod-concentrating variants
 * (`userconcentratedpod_random`, `userconcentratedpod_firstfit`) order hosts as their suffix
 * says; concentrating an account's VMs in one pod needs the VM records of the VM issue and is
 * not done yet.
 */
@injectable()
export class HostAllocators {
  private readonly byName: ReadonlyMap<string, HostAllocator>;

  constructor(
    @inject(FirstFitHostAllocator) firstFit: FirstFitHostAllocator,
    @inject(RandomHostAllocator) random: RandomHostAllocator,
    @inject(UserDispersingHostAllocator) userDispersing: UserDispersingHostAllocator,
  ) {
    this.byName = new Map<string, HostAllocator>([
      ['firstfit', firstFit],
      ['random', random],
      ['userdispersing', userDispersing],
      ['userconcentratedpod_random', random],
      ['userconcentratedpod_firstfit', firstFit],
    ]);
  }

  /** The allocator for an algorithm name; `random` (the default) for an unknown one. */
  for(algorithm: string | undefined): HostAllocator {
    return this.byName.get(algorithm ?? 'random') ?? (this.byName.get('random') as HostAllocator);
  }
}
