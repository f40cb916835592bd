import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { Public } from '#libs/auth/src/index.js';
import { APP_CONFIG, type AppConfig } from '#libs/config/src/index.js';
import { BACKEND_SERVICES, type BackendService, healthPattern, SERVICE_CLIENT } from '#libs/contracts/src/index.js';
import { rpc } from '#libs/platform/src/index.js';
import { GATEWAY_REDIS } from './redis.provider.js';

// Generous: a loaded machine must not read as an outage. Down services answer nothing at all.
const CHECK_TIMEOUT_MS = 3000;

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly clients: Record<BackendService, ClientProxy>;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly db: TypeOrmHealthIndicator,
    @Inject(GATEWAY_REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SERVICE_CLIENT.commons) commons: ClientProxy,
    @Inject(SERVICE_CLIENT.fabrication) fabrication: ClientProxy,
    @Inject(SERVICE_CLIENT.production) production: ClientProxy,
    @Inject(SERVICE_CLIENT.council) council: ClientProxy,
  ) {
    this.clients = { commons, fabrication, production, council };
  }

  @Get()
  @Public()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Database, Redis and every service, each answering' })
  @ApiResponse({ status: 200, description: 'All parts are up' })
  @ApiResponse({ status: 503, description: 'Something is down; `down` names what' })
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult & { down: string[] }> {
    try {
      const result = await this.health.check([
        () => this.db.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
        () => this.redisCheck(),
        ...BACKEND_SERVICES.map((service) => () => this.serviceCheck(service)),
      ]);
      return { ...result, down: [] };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      res.status(503);
      return { ...result, down: Object.keys(result.error ?? {}) };
    }
  }

  private async redisCheck() {
    const indicator = this.indicators.check('redis');
    try {
      const answer = await Promise.race([
        this.redis.ping(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS)),
      ]);
      return answer === 'PONG' ? indicator.up() : indicator.down({ message: `unexpected answer ${answer}` });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }

  private async serviceCheck(service: BackendService) {
    const indicator = this.indicators.check(service);
    try {
      await rpc(this.clients[service], service, healthPattern(service), null, {}, CHECK_TIMEOUT_MS);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
