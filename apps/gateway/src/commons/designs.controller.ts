import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Repository } from 'typeorm';
import { CurrentActor, Public, Requires } from '#libs/auth/src/index.js';
import {
  AddMaintainerDto,
  CreateBuildReportDto,
  CreateDesignDto,
  CreateEndorsementDto,
  CreateVersionDto,
  ForkDesignDto,
  SearchDesignsQueryDto,
} from '#libs/contracts/src/commons/dto.js';
import { COMMONS_HTTP_PATTERNS } from '#libs/contracts/src/commons/patterns.js';
import type {
  BuildReportView,
  DesignSearchPage,
  DesignVersionView,
  DesignView,
  EndorsementView,
  LineageView,
} from '#libs/contracts/src/commons/views.js';
import { type Actor, badRequest, unprocessable } from '#libs/contracts/src/index.js';
import { type ServiceClient, serviceClientToken } from '#libs/platform/src/index.js';
import { AccountEntity } from '../accounts/account.entity.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import {
  BuildReportViewDto,
  DesignSearchPageDto,
  DesignVersionViewDto,
  DesignViewDto,
  EndorsementViewDto,
  LineageViewDto,
} from './commons-responses.dto.js';

const ID_PARAM = { name: 'id', description: 'The design id (uuid) or its slug' };
const VERSION_PARAM = { name: 'version', description: 'A semantic version, or `latest`' };

@ApiTags('designs')
@Controller('designs')
export class DesignsController {
  constructor(
    @Inject(serviceClientToken('commons')) private readonly commons: ServiceClient,
    @InjectRepository(AccountEntity) private readonly accounts: Repository<AccountEntity>,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Search the commons',
    description:
      'Full text over title (weighs most), function, then keywords; filters by process (including its sub-processes: ' +
      '`3d-printing` finds FDM and SLA designs), material, license and verified (at least one successful build). ' +
      'Keyset pagination: pass `nextCursor` back as `cursor` with the same filters.',
  })
  @ApiOkResponse({ type: DesignSearchPageDto })
  @ApiProblems(400, 503)
  search(@Query() query: SearchDesignsQueryDto): Promise<DesignSearchPage> {
    return this.commons.send(COMMONS_HTTP_PATTERNS.designsSearch, null, query);
  }

  @Post()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Publish a design (its first version); you become its maintainer' })
  @ApiCreatedResponse({ type: DesignVersionViewDto })
  @ApiProblems(400, 401, 403, 409, 422, 503)
  create(@Body() body: CreateDesignDto, @CurrentActor() actor: Actor): Promise<DesignVersionView> {
    return this.commons.send(COMMONS_HTTP_PATTERNS.designsCreate, actor, body);
  }

  @Get(':id')
  @Public()
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'A design: its latest version, versions, maintainers, build and endorsement counts' })
  @ApiOkResponse({ type: DesignViewDto })
  @ApiProblems(404, 503)
  get(@Param('id') id: string): Promise<DesignView> {
    return this.commons.send(COMMONS_HTTP_PATTERNS.designsGet, null, { design: id });
  }

  @Post(':id/versions')
  @ApiBearerAuth()
  @Requires({ resource: 'design', role: 'maintainer' })
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'Publish a new version (maintainers only); published versions never change' })
  @ApiCreatedResponse({ type: DesignVersionViewDto })
  @ApiProblems(400, 401, 403, 404, 409, 422, 503)
  createVersion(@Param('id') id: string, @Body() body: CreateVersionDto, @CurrentActor() actor: Actor): Promise<DesignVersionView> {
    return this.commons.send(COMMONS_HTTP_PATTERNS.versionsCreate, actor, { design: id, body });
  }

  @Get(':id/versions/:version')
  @Public()
  @ApiParam(ID_PARAM)
  @ApiParam(VERSION_PARAM)
  @ApiOperation({ summary: 'A version: its content, hash, lineage attribution, build reports and endorsements' })
  @ApiOkResponse({ type: DesignVersionViewDto })
  @ApiProblems(400, 404, 503)
  getVersion(@Param('id') id: string, @Param('version') version: string): Promise<DesignVersionView> {
    return this.commons.send(COMMONS_HTTP_PATTERNS.versionsGet, null, { design: id, version });
  }

  @Post(':id/forks')
  @ApiBearerAuth()
  @ApiParam(ID_PARAM)
  @ApiOperation({
    summary: 'Fork a version into a new design of yours',
    description:
      'The fork starts as a copy of the parent version (`version`, the latest when absent); the fields you send replace it. ' +
      "Its license must be one the parent's license allows (e.g. CERN-OHL-S-2.0 forks stay CERN-OHL-S-2.0); a refusal is 422 naming the rule.",
  })
  @ApiCreatedResponse({ type: DesignVersionViewDto })
  @ApiProblems(400, 401, 403, 404, 409, 422, 503)
  fork(@Param('id') id: string, @Body() body: ForkDesignDto, @CurrentActor() actor: Actor): Promise<DesignVersionView> {
    return this.commons.send(COMMONS_HTTP_PATTERNS.designsFork, actor, { design: id, body });
  }

  @Get(':id/lineage')
  @Public()
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'Ancestors (what this design was forked from, and up) and descendants (its forks, and down)' })
  @ApiOkResponse({ type: LineageViewDto })
  @ApiProblems(404, 503)
  lineage(@Param('id') id: string): Promise<LineageView> {
    return this.commons.send(COMMONS_HTTP_PATTERNS.designsLineage, null, { design: id });
  }

  @Post(':id/maintainers')
  @ApiBearerAuth()
  @Requires({ resource: 'design', role: 'maintainer' })
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'Add a maintainer by account id or email (maintainers only)' })
  @ApiCreatedResponse({ type: DesignViewDto })
  @ApiProblems(400, 401, 403, 404, 422, 503)
  async addMaintainer(@Param('id') id: string, @Body() body: AddMaintainerDto, @CurrentActor() actor: Actor): Promise<DesignView> {
    if ((body.accountId === undefined) === (body.email === undefined)) {
      throw badRequest('Give exactly one of accountId and email', [{ field: 'accountId', message: 'give accountId or email, not both' }]);
    }
    // Accounts live here, in the gateway: commons only ever sees account ids.
    const account = body.accountId
      ? await this.accounts.findOneBy({ id: body.accountId })
      : await this.accounts.findOneBy({ email: body.email!.trim().toLowerCase() });
    if (!account) {
      throw unprocessable('unknown-account', 'No such account', `No account ${body.accountId ?? body.email} exists to become a maintainer`);
    }
    return this.commons.send(COMMONS_HTTP_PATTERNS.maintainersAdd, actor, { design: id, accountId: account.id });
  }

  @Post(':id/versions/:version/build-reports')
  @ApiBearerAuth()
  @ApiParam(ID_PARAM)
  @ApiParam(VERSION_PARAM)
  @ApiOperation({
    summary: 'Report building this version at a fab unit (its operators, or its machines by API key)',
    description: 'A version with at least one successful report is verified manufacturable.',
  })
  @ApiCreatedResponse({ type: BuildReportViewDto })
  @ApiProblems(400, 401, 403, 404, 503)
  report(
    @Param('id') id: string,
    @Param('version') version: string,
    @Body() body: CreateBuildReportDto,
    @CurrentActor() actor: Actor,
  ): Promise<BuildReportView> {
    return this.commons.send(COMMONS_HTTP_PATTERNS.buildReportsCreate, actor, { design: id, version, body });
  }

  @Post(':id/versions/:version/endorsements')
  @ApiBearerAuth()
  @ApiParam(ID_PARAM)
  @ApiParam(VERSION_PARAM)
  @ApiOperation({ summary: "Endorse this version as one of the design's maintainers, or for a council you administer (councilId)" })
  @ApiCreatedResponse({ type: EndorsementViewDto })
  @ApiProblems(400, 401, 403, 404, 409, 503)
  endorse(
    @Param('id') id: string,
    @Param('version') version: string,
    @Body() body: CreateEndorsementDto,
    @CurrentActor() actor: Actor,
  ): Promise<EndorsementView> {
    return this.commons.send(COMMONS_HTTP_PATTERNS.endorsementsCreate, actor, { design: id, version, body });
  }
}
