/**
 * `@cloudstack-sdk/driver-kvm`: KVM hosts through libvirt's own remote protocol, spoken in
 * TypeScript over TCP (16509) or SSH (`virt-ssh-helper`). Start with {@link connectLibvirt}.
 *
 * @packageDocumentation
 */
export * from './xdr.js';
export * from './packet.js';
export * from './remote-types.js';
export * from './remote-procedure.js';
export * from './libvirt-constants.js';
export * from './libvirt-error.js';
export * from './libvirt-uri.js';
export * from './transport.js';
export * from './transport-tcp.js';
export * from './transport-ssh.js';
export * from './libvirt-client.js';
export * from './domain-events.js';
export * from './procedures.js';
export * from './libvirt-connect.js';
export * from './kvm-driver.js';
export * from './domain-xml.js';
export * from './bridge-naming.js';
export * from './vm-spec-renderer.js';
export * from './power-state.js';
export * from './kvm-vm-operations.js';
export * from './storage-pool-definition.js';
export * from './kvm-storage-operations.js';
export * from './kvm-disk-preparation.js';
export * from './volume-users.js';
export * from './live-disk-backup.js';
export * from './kvm-primary-storage.js';
export * from './security-group-rules-renderer.js';
export * from './kvm-security-groups.js';
export * from './ssh-command-runner.js';
