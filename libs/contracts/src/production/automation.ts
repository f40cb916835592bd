import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsUUID, Max, Min, ValidateBy, ValidateIf, type ValidationArguments } from 'class-validator';

/**
 * Whether a fab unit's queue is worked by an automated machine connector inside production
 * (`production.automated_units`), and how many jobs at once. Units not automated are worked by
 * people and external connectors over HTTP (`POST /fab-units/{id}/jobs/next`).
 */
export const CONNECTOR_CONCURRENCY = { default: 20, min: 1, max: 1000 } as const;

export class SetAutomationDto {
  @ApiProperty({ example: true, description: 'true: a connector in production works the unit’s queue; false: people and external connectors do' })
  @IsBoolean()
  automated: boolean;

  @ApiPropertyOptional({
    example: 4,
    minimum: CONNECTOR_CONCURRENCY.min,
    maximum: CONNECTOR_CONCURRENCY.max,
    default: CONNECTOR_CONCURRENCY.default,
    description: 'Jobs worked at once (only with `automated: true`; omitted: the default)',
  })
  @ValidateIf((o: SetAutomationDto) => o.concurrency !== undefined)
  @ValidateBy({
    name: 'onlyWhenAutomated',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) => (args?.object as SetAutomationDto | undefined)?.automated === true,
      defaultMessage: () => 'concurrency is given only with automated: true',
    },
  })
  @IsInt()
  @Min(CONNECTOR_CONCURRENCY.min)
  @Max(CONNECTOR_CONCURRENCY.max)
  concurrency?: number;
}

/** PRODUCTION_HTTP_PATTERNS.automationSet */
export class SetAutomationMessage extends SetAutomationDto {
  @IsUUID() fabUnitId: string;
}

/** PRODUCTION_HTTP_PATTERNS.automationGet */
export class FabUnitRefMessage {
  @IsUUID() fabUnitId: string;
}

export interface AutomationView {
  fabUnitId: string;
  automated: boolean;
  /** Jobs worked at once; null when not automated. */
  concurrency: number | null;
  /** Since when (ISO 8601); null when not automated. */
  automatedSince: string | null;
}
