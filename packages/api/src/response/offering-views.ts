import type { DiskOffering, ServiceOffering } from '@cloudstack-sdk/core';
import type { ApiObject } from './api-value.js';
import type { DateFormatter } from './host-views.js';
import type { NameLookup } from './name-lookup.js';

/** A service offering (reference §5): memory in MB, `tags` the storage tags, `hosttags` the host tag. */
export async function serviceOfferingView(offering: ServiceOffering, names: NameLookup, formatDate: DateFormatter): Promise<ApiObject> {
  return {
    id: offering.id,
    name: offering.name,
    displaytext: offering.displayText,
    cpunumber: offering.cpuNumber,
    cpuspeed: offering.cpuSpeed,
    memory: offering.memory,
    created: formatDate(offering.createdAt),
    storagetype: offering.storageType,
    offerha: offering.offerHa,
    limitcpuuse: offering.limitCpuUse,
    tags: offering.storageTags.length === 0 ? undefined : offering.storageTags.join(','),
    domainid: offering.domainId,
    domain: (await names.domain(offering.domainId))?.name,
    hosttags: offering.hostTag,
    issystem: offering.isSystem,
    defaultuse: offering.defaultUse,
    systemvmtype: offering.systemVmType,
    networkrate: offering.networkRate,
  };
}

/** A disk offering (reference §5): `disksize` in GB, 0 for a customized one. */
export async function diskOfferingView(offering: DiskOffering, names: NameLookup, formatDate: DateFormatter): Promise<ApiObject> {
  return {
    id: offering.id,
    domainid: offering.domainId,
    domain: (await names.domain(offering.domainId))?.name,
    name: offering.name,
    displaytext: offering.displayText,
    disksize: offering.diskSizeGb ?? 0,
    created: formatDate(offering.createdAt),
    iscustomized: offering.customized,
    tags: offering.storageTags.length === 0 ? undefined : offering.storageTags.join(','),
    storagetype: offering.storageType,
  };
}
