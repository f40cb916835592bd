import { applyDecorators, type Type as ClassType } from '@nestjs/common';
import { ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, ValidateNested } from 'class-validator';

/**
 * An optional array of nested DTOs, validated element by element and capped at `max` entries
 * (a cap on every array keeps a body from costing the services unbounded work). One
 * decorator so the OpenAPI type, the validation and the transformation cannot drift apart.
 */
export function OptionalArrayOf(dto: ClassType, max: number, docs: Omit<ApiPropertyOptions, 'type'> = {}): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ ...docs, type: [dto] } as ApiPropertyOptions),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(max),
    ValidateNested({ each: true }),
    Type(() => dto),
  );
}

/** An optional nested DTO, validated and transformed as its class. */
export function OptionalNested(dto: ClassType, docs: Omit<ApiPropertyOptions, 'type'> = {}): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ ...docs, type: dto } as ApiPropertyOptions), IsOptional(), ValidateNested(), Type(() => dto));
}
