import type { DependencyContainer } from 'tsyringe';
import { AccountCleanup } from './account-cleanup.js';
import type { AreaModule } from './area-module.js';
import { bindCaller, type BoundService } from './bind-caller.js';
import { SnapshotAccountCleanup } from './snapshot-account-cleanup.js';
import { SnapshotLifecycle } from './snapshot-lifecycle.js';
import { SnapshotPolicyService } from './snapshot-policies.js';
import { SnapshotService } from './snapshots.js';
import { UsageRecorder } from './usage-recorder.js';
import { VolumeAccess } from './volume-access.js';
import { VolumeAccountCleanup } from './volume-account-cleanup.js';
import { VolumeAttachment } from './volume-attachment.js';
import { VolumeChanges } from './volume-changes.js';
import { VolumeDevices } from './volume-devices.js';
import { VolumeLifecycle } from './volume-lifecycle.js';
import { VolumePlacement } from './volume-placement.js';
import { VolumeService } from './volumes.js';

/** The caller-bound services of the volumes area. */
export interface VolumeServices {
  /** ROOT and data volumes. */
  readonly volumes: BoundService<VolumeService>;
  /** Volume snapshots. */
  readonly snapshots: BoundService<SnapshotService>;
  /** Recurring snapshot policies and their sweep. */
  readonly snapshotPolicies: BoundService<SnapshotPolicyService>;
}

/** Volumes, snapshots, snapshot policies and usage records. */
export const volumesModule: AreaModule<VolumeServices> = {
  name: 'volumes',
  services: [UsageRecorder, VolumeAccess, VolumeDevices, VolumePlacement, VolumeLifecycle, VolumeAttachment, VolumeChanges, VolumeService, VolumeAccountCleanup, SnapshotLifecycle, SnapshotService, SnapshotPolicyService, SnapshotAccountCleanup],
  async start(container: DependencyContainer) {
    const cleanup = container.resolve(VolumeAccountCleanup);
    container.resolve(AccountCleanup).register('volumes', (tx, account, caller) => cleanup.run(tx, account, caller));
    const snapshots = container.resolve(SnapshotAccountCleanup);
    container.resolve(AccountCleanup).register('snapshots', (tx, account, caller) => snapshots.run(tx, account, caller));
  },
  facade: (container, caller) => ({
    volumes: bindCaller(container.resolve(VolumeService), caller),
    snapshots: bindCaller(container.resolve(SnapshotService), caller),
    snapshotPolicies: bindCaller(container.resolve(SnapshotPolicyService), caller),
  }),
};
