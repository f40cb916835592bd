import { type CanActivate, type ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config/src/index.js';
import { DomainError } from '#libs/contracts/src/index.js';
import { GATEWAY_REDIS } from '../health/redis.provider.js';

const RATE_LIMIT_KEY = 'cosmolocal:rate-limit';

/** Limits a route per client address, in buckets shared by every route naming the same one. */
export const RateLimit = (bucket: 'auth') => SetMetadata(RATE_LIMIT_KEY, bucket);

// INCR and the first PEXPIRE in one step, so a crash between them cannot leave a counter
// that never expires (and a client locked out for good).
const HIT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { n, redis.call('PTTL', KEYS[1]) }`;

/**
 * Fixed-window rate limiting kept in Redis, so every gateway process of a deployment counts
 * together. (We tried @nestjs/throttler first: it is CommonJS requiring the ESM-only Nest 12,
 * which Jest's ESM runtime cannot load on Node 20, and its default store is per process.)
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(GATEWAY_REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const bucket = this.reflector.getAllAndOverride<string | undefined>(RATE_LIMIT_KEY, [context.getHandler(), context.getClass()]);
    if (!bucket) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const windowMs = this.config.authRateWindowSeconds * 1000;
    const limit = this.config.authRateLimit;
    const key = `${this.config.namespace}:rate:${bucket}:${request.ip ?? 'unknown'}`;
    const [count, ttl] = (await this.redis.eval(HIT, 1, key, windowMs)) as [number, number];
    const resetSeconds = Math.max(1, Math.ceil(ttl / 1000));
    response.setHeader('RateLimit-Limit', limit);
    response.setHeader('RateLimit-Remaining', Math.max(0, limit - count));
    response.setHeader('RateLimit-Reset', resetSeconds);
    if (count > limit) {
      response.setHeader('Retry-After', resetSeconds);
      throw new DomainError(429, 'rate-limited', 'Too many requests', `At most ${limit} requests per ${this.config.authRateWindowSeconds} s here; retry in ${resetSeconds} s`);
    }
    return true;
  }
}
