/**
 * Domain lifecycle events: registered with `REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY`
 * and delivered as `REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE` messages carrying the callback id.
 * The registration is made again on every reconnection, so a subscriber keeps receiving events
 * across a lost connection (events raised while disconnected are missed; reconcile after).
 */
import { DomainEventId, domainEventTypeName, type DomainEventType } from './libvirt-constants.js';
import type { LibvirtClient, SessionCall } from './libvirt-client.js';
import { RemoteProcedure } from './remote-procedure.js';
import { domainRef, type DomainRef } from './remote-types.js';
import { decodeXdr, encodeXdr, xdr } from './xdr.js';

/** A domain's lifecycle changed (`virConnectDomainEventCallback`). */
export interface DomainLifecycleEvent {
  /** The domain. */
  domain: DomainRef;
  /** What happened (`virDomainEventType`). */
  event: DomainEventType;
  /** Its lower-case name: `defined`, `started`, `stopped`, ... */
  eventName: string;
  /** The event-specific detail (`virDomainEventStartedDetailType`, ...). */
  detail: number;
}

/** A live event subscription. */
export interface DomainEventSubscription {
  /** Stops the events and deregisters the callback with libvirtd. */
  unsubscribe(): Promise<void>;
}

const registerArgs = xdr.struct({ eventID: xdr.int, dom: xdr.optional(domainRef) });
const registerRet = xdr.struct({ callbackID: xdr.int });
const deregisterArgs = xdr.struct({ callbackID: xdr.int });
const lifecycleMessage = xdr.struct({
  callbackID: xdr.int,
  msg: xdr.struct({ dom: domainRef, event: xdr.int, detail: xdr.int }),
});

/**
 * Calls `listener` for every lifecycle event of `domain` (or of every domain when null) on
 * `client`'s connection, from now until the subscription is ended.
 */
export async function subscribeDomainLifecycle(
  client: LibvirtClient,
  listener: (event: DomainLifecycleEvent) => void,
  domain: DomainRef | null = null,
): Promise<DomainEventSubscription> {
  let callbackId: number | undefined;
  // Which connection (by the client's connection count) the callback is registered on, so the
  // first registration below is skipped when a reconnection's hook has just made it.
  let registeredOn = -1;
  const register = async (call: SessionCall): Promise<void> => {
    const connection = client.stats.connections;
    const reply = await call(
      RemoteProcedure.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
      encodeXdr(registerArgs, { eventID: DomainEventId.LIFECYCLE, dom: domain }),
    );
    callbackId = decodeXdr(registerRet, reply).callbackID;
    registeredOn = connection;
  };
  const stopListening = client.onMessage(RemoteProcedure.DOMAIN_EVENT_CALLBACK_LIFECYCLE, (body) => {
    const message = decodeXdr(lifecycleMessage, body);
    if (message.callbackID !== callbackId) return;
    listener({
      domain: message.msg.dom,
      event: message.msg.event as DomainEventType,
      eventName: domainEventTypeName(message.msg.event),
      detail: message.msg.detail,
    });
  });
  let removeHook = (): void => undefined;
  try {
    await client.open();
    removeHook = client.onSession(register);
    if (registeredOn !== client.stats.connections) await register((procedure, body) => client.call(procedure, body));
  } catch (error) {
    stopListening();
    removeHook();
    throw error;
  }
  return {
    async unsubscribe() {
      stopListening();
      removeHook();
      if (callbackId === undefined || !client.connected) return;
      const id = callbackId;
      callbackId = undefined;
      await client.call(RemoteProcedure.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, encodeXdr(deregisterArgs, { callbackID: id }));
    },
  };
}
