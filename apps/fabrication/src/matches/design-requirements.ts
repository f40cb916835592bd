import { Inject, Injectable } from '@nestjs/common';
import { COMMONS_PATTERNS, type DesignVersionForManufacturing } from '#libs/contracts/src/commons/messages.js';
import { type ServiceClient, serviceClientToken } from '#libs/platform/src/index.js';

const MAX_CACHED = 2000;

/**
 * A design version's manufacturing requirements, asked of commons over the transport. A
 * version never changes once published, so an answer is kept for good (bounded, oldest
 * first out); concurrent asks for one version share one request; failures are not kept.
 */
@Injectable()
export class DesignRequirements {
  private readonly cache = new Map<string, Promise<DesignVersionForManufacturing>>();

  constructor(@Inject(serviceClientToken('commons')) private readonly commons: ServiceClient) {}

  get(designVersionId: string): Promise<DesignVersionForManufacturing> {
    const hit = this.cache.get(designVersionId);
    if (hit) return hit;
    const asked = this.commons.send<DesignVersionForManufacturing>(COMMONS_PATTERNS.versionForManufacturing, null, { designVersionId });
    this.cache.set(designVersionId, asked);
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    asked.catch(() => this.cache.delete(designVersionId));
    return asked;
  }
}
