import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

/**
 * Every environment variable Cosmolocal reads. Validated once at start so that a typo stops
 * the process with one line naming the variable, instead of failing later somewhere deep.
 */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/[^\s/]+\/[A-Za-z0-9_\-]+(\?\S*)?$/, {
    message: 'must be a postgres:// URL naming a database, e.g. postgres://postgres@127.0.0.1:5432/cosmolocal',
  })
  DATABASE_URL?: string;

  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// URL, e.g. redis://127.0.0.1:6379' })
  REDIS_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET?: string;

  @IsOptional()
  @IsInt()
  @Min(60)
  JWT_TTL_SECONDS?: number;

  @IsOptional()
  @Matches(/^[a-z][a-z0-9_-]{0,40}$/, { message: 'must be lowercase letters, digits, - or _ (at most 41), starting with a letter' })
  COSMOLOCAL_NAMESPACE?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  AUTH_RATE_WINDOW_SECONDS?: number;

  @IsOptional()
  @IsInt()
  @Min(100)
  RPC_TIMEOUT_MS?: number;

  // Production's connector tuning: read by apps/production (productionOptionsFromEnv), checked
  // here so a typo stops the start like any other variable instead of silently falling back.
  @IsOptional()
  @IsIn(['on', 'off'])
  PRODUCTION_CONNECTORS?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  PRODUCTION_CONNECTOR_MAX_WORKERS?: number;

  @IsOptional()
  @IsInt()
  @Min(100)
  PRODUCTION_CONNECTOR_REFRESH_MS?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  PRODUCTION_CONNECTOR_BATCH?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  PRODUCTION_CONNECTOR_BATCH_WAIT_MS?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  PRODUCTION_CONNECTOR_MAX_IN_FLIGHT?: number;
}

const INTEGER_VARIABLES = new Set([
  'PORT',
  'JWT_TTL_SECONDS',
  'DB_POOL_SIZE',
  'AUTH_RATE_LIMIT',
  'AUTH_RATE_WINDOW_SECONDS',
  'RPC_TIMEOUT_MS',
  'PRODUCTION_CONNECTOR_MAX_WORKERS',
  'PRODUCTION_CONNECTOR_REFRESH_MS',
  'PRODUCTION_CONNECTOR_BATCH',
  'PRODUCTION_CONNECTOR_BATCH_WAIT_MS',
  'PRODUCTION_CONNECTOR_MAX_IN_FLIGHT',
]);

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Checks the raw environment; throws a ConfigError naming the first bad variable. */
export function validateEnvironment(env: Record<string, string | undefined>): EnvironmentVariables {
  const plain: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(env)) {
    if (raw === undefined || raw === '') continue;
    if (INTEGER_VARIABLES.has(key)) {
      // "3000abc" must not silently become 3000, so integers are parsed strictly.
      plain[key] = /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
    } else {
      plain[key] = raw;
    }
  }
  const instance = plainToInstance(EnvironmentVariables, plain);
  const errors = validateSync(instance, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const first = errors[0]!;
    const reason = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    const shown = first.property === 'JWT_SECRET' ? '(hidden)' : JSON.stringify(env[first.property]);
    throw new ConfigError(
      first.property,
      `${first.property} ${reason.replace(new RegExp(`^${first.property} `), '')} (got ${shown})`,
    );
  }
  return instance;
}
