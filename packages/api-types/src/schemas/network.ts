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
