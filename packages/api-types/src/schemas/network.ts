import { z } from 'zod';
import { EndpointSettingsRequest } from './container-create.js';
import { lenientObject, stringMap } from './lenient.js';

/** `POST /networks/create`. */
export const NetworkCreateRequest = lenientObject({
  Name: z.string(),
  CheckDuplicate: z.boolean(),
  Driver: z.string(),
  Scope: z.string(),
  Internal: z.boolean(),
  Attachable: z.boolean(),
  Ingress: z.boolean(),
  EnableIPv6: z.boolean(),
  Options: stringMap,
  Labels: stringMap,
  IPAM: lenientObject({
    Driver: z.string(),
    Options: stringMap,
    Config: z.array(lenientObject({ Subnet: z.string(), IPRange: z.string(), Gateway: z.string(), AuxiliaryAddresses: stringMap })),
  }),
});
export type NetworkCreateRequest = z.infer<typeof NetworkCreateRequest>;

/** `POST /networks/{id}/connect`. */
export const NetworkConnectRequest = lenientObject({ Container: z.string(), EndpointConfig: EndpointSettingsRequest });
export type NetworkConnectRequest = z.infer<typeof NetworkConnectRequest>;

/** `POST /networks/{id}/disconnect`. */
export const NetworkDisconnectRequest = lenientObject({ Container: z.string(), Force: z.boolean() });
export type NetworkDisconnectRequest = z.infer<typeof NetworkDisconnectRequest>;

const NetworkContainer = z.object({ Name: z.string(), EndpointID: z.string(), MacAddress: z.string(), IPv4Address: z.string(), IPv6Address: z.string() });

/** `GET /networks/{id}` and each element of `GET /networks` (Containers is {} in the list). */
export const NetworkResource = z.object({
  Name: z.string(),
  Id: z.string(),
  Created: z.string(),
  Scope: z.string(),
  Driver: z.string(),
  EnableIPv6: z.boolean(),
  IPAM: z.object({
    Driver: z.string(),
    Options: stringMap.nullable(),
    Config: z.array(z.object({ Subnet: z.string(), Gateway: z.string(), IPRange: z.string().optional() })),
  }),
  Internal: z.boolean(),
  Attachable: z.boolean(),
  Ingress: z.boolean(),
  ConfigFrom: z.object({ Network: z.string() }),
  ConfigOnly: z.boolean(),
  Containers: z.record(z.string(), NetworkContainer),
  Options: stringMap,
  Labels: stringMap,
  /** Swarm networks only: absent on local ones, as Docker omits it. */
  Peers: z.array(z.object({ Name: z.string(), IP: z.string() })).optional(),
});
export type NetworkResource = z.infer<typeof NetworkResource>;

/** `POST /networks/create` → 201. */
export const NetworkCreateResponse = z.object({ Id: z.string(), Warning: z.string() });
export type NetworkCreateResponse = z.infer<typeof NetworkCreateResponse>;

/** `POST /networks/prune`. */
export const NetworkPruneResponse = z.object({ NetworksDeleted: z.array(z.string()) });
export type NetworkPruneResponse = z.infer<typeof NetworkPruneResponse>;
