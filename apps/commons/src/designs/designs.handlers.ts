import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AddMaintainerMessage,
  CreateBuildReportMessage,
  CreateDesignDto,
  CreateEndorsementMessage,
  CreateVersionMessage,
  DesignRefMessage,
  ForkDesignMessage,
  ImportOkhMessage,
  SearchDesignsQueryDto,
  VersionForManufacturingMessage,
  VersionRefMessage,
} from '#libs/contracts/src/commons/dto.js';
import { COMMONS_PATTERNS, type DesignVersionForManufacturing } from '#libs/contracts/src/commons/messages.js';
import { COMMONS_HTTP_PATTERNS } from '#libs/contracts/src/commons/patterns.js';
import type {
  BuildReportView,
  DesignSearchPage,
  DesignVersionView,
  DesignView,
  EndorsementView,
  LineageView,
  OkhExport,
  OkhImportResult,
} from '#libs/contracts/src/commons/views.js';
import type { Actor } from '#libs/contracts/src/index.js';
import { requirePerson } from './actors.js';
import { DesignQueries } from './design-queries.js';
import { AddMaintainerUseCase } from './usecases/add-maintainer/add-maintainer.usecase.js';
import { EndorseVersionUseCase } from './usecases/endorse-version/endorse-version.usecase.js';
import { ForkDesignUseCase } from './usecases/fork-design/fork-design.usecase.js';
import { ImportOkhUseCase } from './usecases/import-okh/import-okh.usecase.js';
import { PublishDesignUseCase } from './usecases/publish-design/publish-design.usecase.js';
import { PublishVersionUseCase } from './usecases/publish-version/publish-version.usecase.js';
import { ReportBuildUseCase } from './usecases/report-build/report-build.usecase.js';
import { SearchDesignsUseCase } from './usecases/search-designs/search-designs.usecase.js';

/** The commons on the transport: validate (the global pipe), call a use case, return plain data. */
@Controller()
export class DesignsHandlers {
  constructor(
    private readonly queries: DesignQueries,
    private readonly publishDesign: PublishDesignUseCase,
    private readonly publishVersion: PublishVersionUseCase,
    private readonly forkDesign: ForkDesignUseCase,
    private readonly importOkh: ImportOkhUseCase,
    private readonly searchDesigns: SearchDesignsUseCase,
    private readonly reportBuild: ReportBuildUseCase,
    private readonly endorseVersion: EndorseVersionUseCase,
    private readonly addMaintainer: AddMaintainerUseCase,
  ) {}

  @MessagePattern(COMMONS_HTTP_PATTERNS.designsCreate)
  create(@Payload('actor') actor: Actor | null, @Payload('data') data: CreateDesignDto): Promise<DesignVersionView> {
    return this.publishDesign.execute(actor, data);
  }

  @MessagePattern(COMMONS_HTTP_PATTERNS.designsSearch)
  search(@Payload('data') data: SearchDesignsQueryDto): Promise<DesignSearchPage> {
    return this.searchDesigns.execute(data);
  }

  @MessagePattern(COMMONS_HTTP_PATTERNS.designsGet)
  get(@Payload('data') data: DesignRefMessage): Promise<DesignView> {
    return this.queries.design(data.design);
  }

  @MessagePattern(COMMONS_HTTP_PATTERNS.versionsCreate)
  createVersion(@Payload('actor') actor: Actor | null, @Payload('data') data: CreateVersionMessage): Promise<DesignVersionView> {
    return this.publishVersion.execute(actor, data.design, data.body);
  }

  @MessagePattern(COMMONS_HTTP_PATTERNS.versionsGet)
  getVersion(@Payload('data') data: VersionRefMessage): Promise<DesignVersionView> {
    return this.queries.version(data.design, data.version);
  }

  @MessagePattern(COMMONS_HTTP_PATTERNS.designsFork)
  fork(@Payload('actor') actor: Actor | null, @Payload('data') data: ForkDesignMessage): Promise<DesignVersionView> {
    return this.forkDesign.execute(actor, data.design, data.body);
  }

  @MessagePattern(COMMONS_HTTP_PATTERNS.designsLineage)
  lineage(@Payload('data') data: DesignRefMessage): Promise<LineageView> {
    return this.queries.lineage(data.design);
  }

  @MessagePattern(COMMONS_HTTP_PATTERNS.maintainersAdd)
  addMaintainers(@Payload('actor') actor: Actor | null, @Payload('data') data: AddMaintainerMessage): Promise<DesignView> {
    return this.addMaintainer.execute(actor, data.design, data.accountId);
  }

  @MessagePattern(COMMONS_HTTP_PATTERNS.okhImport)
  import(@Payload('actor') actor: Actor | null, @Payload('data') data: ImportOkhMessage): Promise<OkhImportResult> {
    const person = requirePerson(actor, 'import a design');
    return this.importOkh.execute({ accountId: person.accountId }, data.mediaType, data.manifest);
  }

  @MessagePattern(COMMONS_HTTP_PATTERNS.okhExport)
  export(@Payload('data') data: VersionRefMessage): Promise<OkhExport> {
    return this.queries.exportOkh(data.design, data.version);
  }

  @MessagePattern(COMMONS_HTTP_PATTERNS.buildReportsCreate)
  report(@Payload('actor') actor: Actor | null, @Payload('data') data: CreateBuildReportMessage): Promise<BuildReportView> {
    return this.reportBuild.fromOperator(actor, data.design, data.version, data.body);
  }

  @MessagePattern(COMMONS_HTTP_PATTERNS.endorsementsCreate)
  endorse(@Payload('actor') actor: Actor | null, @Payload('data') data: CreateEndorsementMessage): Promise<EndorsementView> {
    return this.endorseVersion.execute(actor, data.design, data.version, data.body);
  }

  @MessagePattern(COMMONS_PATTERNS.versionForManufacturing)
  forManufacturing(@Payload('data') data: VersionForManufacturingMessage): Promise<DesignVersionForManufacturing> {
    return this.queries.forManufacturing(data.designVersionId);
  }
}
