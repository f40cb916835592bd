import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { AUTHZ_RESOLVER, ResourceGuard } from '#libs/auth/src/index.js';
import { type AppConfig, AppConfigModule } from '#libs/config/src/index.js';
import { BACKEND_SERVICES } from '#libs/contracts/src/index.js';
import { DatabaseModule } from '#libs/database/src/index.js';
import { loggerParams, TransportClientsModule } from '#libs/platform/src/index.js';
import { ACCOUNTS_REPOSITORY } from './accounts/accounts.repository.js';
import { TypeormAccountsRepository } from './accounts/typeorm-accounts.repository.js';
import { ApiKeysModule } from './api-keys/api-keys.module.js';
import { AuthController } from './auth/auth.controller.js';
import { AuthService } from './auth/auth.service.js';
import { AuthenticationGuard } from './auth/authentication.guard.js';
import { JwtStrategy } from './auth/jwt.strategy.js';
import { TransportAuthzResolver } from './authz/transport-authz.resolver.js';
import { CommonsHttpModule } from './commons/commons-http.module.js';
import { CouncilHttpModule } from './council/council-http.module.js';
import { FabricationHttpModule } from './fabrication/fabrication-http.module.js';
import { gatewayDatabase } from './gateway.database.js';
import { HealthController } from './health/health.controller.js';
import { GatewayRedisCloser, gatewayRedisProvider } from './health/redis.provider.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import { ProductionHttpModule } from './production/production-http.module.js';
import { RateLimitGuard } from './http/rate-limit.guard.js';

/** The HTTP face of Cosmolocal: accounts and tokens here, everything else over the transport. */
@Module({})
export class GatewayModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config, 'gateway')),
        DatabaseModule.forApp(gatewayDatabase),
        TransportClientsModule.register(config, BACKEND_SERVICES),
        TerminusModule.forRoot({ logger: false, gracefulShutdownTimeoutMs: 0 }),
        PassportModule,
        JwtModule.register({ secret: config.jwtSecret, signOptions: { algorithm: 'HS256' } }),
        ApiKeysModule,
        CommonsHttpModule,
        FabricationHttpModule,
        ProductionHttpModule,
        CouncilHttpModule,
      ],
      controllers: [AuthController, HealthController],
      providers: [
        AuthService,
        JwtStrategy,
        gatewayRedisProvider,
        GatewayRedisCloser,
        { provide: ACCOUNTS_REPOSITORY, useClass: TypeormAccountsRepository },
        { provide: AUTHZ_RESOLVER, useClass: TransportAuthzResolver },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: AuthenticationGuard },
        { provide: APP_GUARD, useClass: ResourceGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
