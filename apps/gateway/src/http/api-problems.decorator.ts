import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'email' }) field: string;
  @ApiProperty({ example: 'email must be an email address' }) message: string;
}

/** RFC 9457 problem details, as every error of the API is answered. */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'https://cosmolocal.dev/problems/validation-failed' }) type: string;
  @ApiProperty({ example: 'Your request is not valid' }) title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiPropertyOptional({ example: 'email must be an email address' }) detail?: string;
  @ApiPropertyOptional({ example: '/auth/register' }) instance?: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'The request is malformed or a field is not valid (field-level `errors`)',
  401: 'Not signed in, or the token or API key is not valid',
  403: 'Signed in, but the role this needs is missing',
  404: 'No such resource',
  409: 'Conflicts with the current state (duplicate, overlapping, illegal transition)',
  415: 'Unsupported media type',
  422: 'Understood but refused by a rule (e.g. a license rule)',
  429: 'Too many requests; retry after the window',
  503: 'A part of Cosmolocal is not answering',
};

/** Documents the problem answers a route can give, all as application/problem+json. */
export const ApiProblems = (...statuses: number[]) =>
  applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Problem',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
      }),
    ),
  );
