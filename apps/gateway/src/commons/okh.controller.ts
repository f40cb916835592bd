import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, Public } from '#libs/auth/src/index.js';
import type { OkhManifestMediaType } from '#libs/contracts/src/commons/dto.js';
import { COMMONS_HTTP_PATTERNS } from '#libs/contracts/src/commons/patterns.js';
import type { OkhExport, OkhImportResult } from '#libs/contracts/src/commons/views.js';
import { type Actor, DomainError } from '#libs/contracts/src/index.js';
import { type ServiceClient, serviceClientToken } from '#libs/platform/src/index.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { OkhImportResultDto } from './commons-responses.dto.js';

/** The media types a manifest may arrive as (the gateway's body parsers read exactly these). */
const MANIFEST_TYPES: Record<string, OkhManifestMediaType> = {
  'application/yaml': 'application/yaml',
  'application/x-yaml': 'application/yaml',
  'text/yaml': 'application/yaml',
  'application/toml': 'application/toml',
  'application/json': 'application/json',
};

export function manifestMediaType(contentType: string | undefined): OkhManifestMediaType {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const known = MANIFEST_TYPES[type];
  if (!known) {
    throw new DomainError(
      415,
      'unsupported-media-type',
      'Unsupported media type',
      `An OKH manifest is sent as ${Object.keys(MANIFEST_TYPES).join(', ')}; got ${type || 'no Content-Type'}`,
      { accepted: Object.keys(MANIFEST_TYPES) },
    );
  }
  return known;
}

@ApiTags('designs')
@Controller('designs')
export class OkhController {
  constructor(@Inject(serviceClientToken('commons')) private readonly commons: ServiceClient) {}

  @Post('import')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Import an Open Know-How manifest (OKH v1 YAML, OKH-LOSH TOML, or JSON)',
    description:
      'The body is the manifest itself. What can be safely understood is imported, and every repair is listed in `warnings` ' +
      '(known license names are normalised to SPDX). An unreadable manifest is 400 naming the line or field; a license that ' +
      'is not open is 422 naming it. Idempotent: content already in the commons writes nothing and answers 200 with the ' +
      'existing design and version (`created: false`). A manifest whose name is the slug of a design you maintain becomes a new version of it.',
  })
  @ApiConsumes('application/yaml', 'application/toml', 'application/json')
  @ApiBody({ description: 'The manifest', schema: { type: 'string', example: 'okhv = "OKH-LOSHv1.0"\nname = "Tube clamp"\nlicense = "CERN-OHL-S-2.0"\n' } })
  @ApiCreatedResponse({ type: OkhImportResultDto, description: 'Imported' })
  @ApiOkResponse({ type: OkhImportResultDto, description: 'Already in the commons: nothing written' })
  @ApiProblems(400, 401, 403, 409, 415, 422, 503)
  async import(@Req() req: Request, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<OkhImportResult> {
    const mediaType = manifestMediaType(req.headers['content-type']);
    const body: unknown = req.body;
    const manifest = mediaType === 'application/json' ? JSON.stringify(body ?? null) : typeof body === 'string' ? body : '';
    const result = await this.commons.send<OkhImportResult>(COMMONS_HTTP_PATTERNS.okhImport, actor, { mediaType, manifest });
    res.status(result.created ? 201 : 200);
    return result;
  }

  @Get(':id/versions/:version/okh')
  @Public()
  @ApiParam({ name: 'id', description: 'The design id (uuid) or its slug' })
  @ApiParam({ name: 'version', description: 'A semantic version, or `latest`' })
  @ApiOperation({
    summary: 'Export a version as an OKH-LOSH manifest (okh.toml)',
    description: 'Standard OKH-LOSH keys plus a [cosmolocal] table with what OKH cannot say; importing it gives the same content hash.',
  })
  @ApiProduces('application/toml')
  @ApiOkResponse({ description: 'The manifest', content: { 'application/toml': { schema: { type: 'string' } } } })
  @ApiProblems(400, 404, 503)
  async export(@Param('id') id: string, @Param('version') version: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const out = await this.commons.send<OkhExport>(COMMONS_HTTP_PATTERNS.okhExport, null, { design: id, version });
    res.setHeader('content-type', 'application/toml; charset=utf-8');
    res.setHeader('content-disposition', `inline; filename="${out.fileName}"`);
    return out.toml;
  }
}
