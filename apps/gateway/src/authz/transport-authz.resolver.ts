import { Inject, Injectable } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import type { AuthzResolver } from '#libs/auth/src/index.js';
import { APP_CONFIG, type AppConfig } from '#libs/config/src/index.js';
import {
  type AuthzAnswer,
  authzPattern,
  type AuthzQuery,
  type BackendService,
  type ResourceKind,
  SERVICE_CLIENT,
} from '#libs/contracts/src/index.js';
import { rpc } from '#libs/platform/src/index.js';

/** Which service owns (and so decides about) each kind of resource. */
export const RESOURCE_OWNER: Record<ResourceKind, BackendService> = {
  design: 'commons',
  'fab-unit': 'fabrication',
  job: 'production',
  'production-request': 'production',
  council: 'council',
  motion: 'council',
  round: 'council',
};

@Injectable()
export class TransportAuthzResolver implements AuthzResolver {
  private readonly clients: Record<BackendService, ClientProxy>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SERVICE_CLIENT.commons) commons: ClientProxy,
    @Inject(SERVICE_CLIENT.fabrication) fabrication: ClientProxy,
    @Inject(SERVICE_CLIENT.production) production: ClientProxy,
    @Inject(SERVICE_CLIENT.council) council: ClientProxy,
  ) {
    this.clients = { commons, fabrication, production, council };
  }

  check(query: AuthzQuery): Promise<AuthzAnswer> {
    const service = RESOURCE_OWNER[query.resource];
    return rpc<AuthzAnswer>(this.clients[service], service, authzPattern(service), query.actor, query, this.config.rpcTimeoutMs);
  }
}
