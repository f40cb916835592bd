import { Body, Controller, Get, Header, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Public, Requires } from '#libs/auth/src/index.js';
import {
  AddCandidateDto,
  AddFabUnitDto,
  AdmitMemberDto,
  type BallotReceipt,
  type CandidateView,
  CastMotionBallotDto,
  CastRoundBallotDto,
  COUNCIL_PATTERNS,
  type CouncilView,
  CreateCouncilDto,
  CreateMotionDto,
  type MemberView,
  type MotionResultView,
  type MotionView,
  OpenRoundDto,
  type OwnBallotView,
  type RoundResultView,
  type RoundView,
} from '#libs/contracts/src/council/index.js';
import { type Actor, unprocessable } from '#libs/contracts/src/index.js';
import { type ServiceClient, serviceClientToken } from '#libs/platform/src/index.js';
import { ACCOUNTS_REPOSITORY, type AccountsRepository } from '../accounts/accounts.repository.js';
import { ApiProblems } from '../http/api-problems.decorator.js';

const uuid = new ParseUUIDPipe();

@ApiTags('councils')
@ApiBearerAuth()
@Controller('councils')
export class CouncilsController {
  constructor(
    @Inject(serviceClientToken('council')) private readonly council: ServiceClient,
    @Inject(ACCOUNTS_REPOSITORY) private readonly accounts: AccountsRepository,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a council; you become its first admin' })
  @ApiProblems(400, 401, 403)
  create(@Body() body: CreateCouncilDto, @CurrentActor() actor: Actor): Promise<CouncilView> {
    return this.council.send(COUNCIL_PATTERNS.councilsCreate, actor, body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A council: its rules, members and pooled fab units' })
  @ApiProblems(400, 401, 404)
  get(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<CouncilView> {
    return this.council.send(COUNCIL_PATTERNS.councilsGet, actor, { id });
  }

  @Post(':id/members')
  @Requires({ resource: 'council', role: 'admin' })
  @ApiOperation({ summary: 'Admit a member (council admins; a passed motion can too)' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async admit(@Param('id', uuid) id: string, @Body() body: AdmitMemberDto, @CurrentActor() actor: Actor): Promise<MemberView> {
    if (!(await this.accounts.findById(body.accountId))) {
      throw unprocessable('unknown-account', 'No such account', `account ${body.accountId} does not exist`);
    }
    return this.council.send(COUNCIL_PATTERNS.membersAdmit, actor, { id, body });
  }

  @Post(':id/fab-units')
  @ApiOperation({ summary: "Pool a fab unit's capacity into the council (the unit's operator or a council admin)" })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  addFabUnit(@Param('id', uuid) id: string, @Body() body: AddFabUnitDto, @CurrentActor() actor: Actor): Promise<CouncilView> {
    return this.council.send(COUNCIL_PATTERNS.fabUnitsAdd, actor, { id, body });
  }

  @Post(':id/motions')
  @Requires({ resource: 'council', role: 'member' })
  @ApiOperation({ summary: 'Propose a motion: yes/no (quorum, threshold, optional action) or ranked options (Schulze)' })
  @ApiProblems(400, 401, 403, 404)
  async createMotion(@Param('id', uuid) id: string, @Body() body: CreateMotionDto, @CurrentActor() actor: Actor): Promise<MotionView> {
    if (body.action?.type === 'admit-member' && body.action.accountId && !(await this.accounts.findById(body.action.accountId))) {
      throw unprocessable('unknown-account', 'No such account', `account ${body.action.accountId} does not exist`);
    }
    return this.council.send(COUNCIL_PATTERNS.motionsCreate, actor, { id, body });
  }

  @Post(':id/rounds')
  @Requires({ resource: 'council', role: 'admin' })
  @ApiOperation({ summary: "Open an allocation round: snapshots the pool's free capacity and schedules the close" })
  @ApiProblems(400, 401, 403, 404, 422, 503)
  openRound(@Param('id', uuid) id: string, @Body() body: OpenRoundDto, @CurrentActor() actor: Actor): Promise<RoundView> {
    return this.council.send(COUNCIL_PATTERNS.roundsOpen, actor, { id, body });
  }
}

@ApiTags('councils')
@ApiBearerAuth()
@Controller('motions')
export class MotionsController {
  constructor(@Inject(serviceClientToken('council')) private readonly council: ServiceClient) {}

  @Get(':id')
  @ApiOperation({ summary: 'A motion' })
  @ApiProblems(400, 401, 404)
  get(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<MotionView> {
    return this.council.send(COUNCIL_PATTERNS.motionsGet, actor, { id });
  }

  @Put(':id/ballot')
  @Requires({ resource: 'motion', role: 'member' })
  @ApiOperation({ summary: 'Cast or replace your ballot: { choice } or { ranking }' })
  @ApiProblems(400, 401, 403, 404, 409)
  cast(@Param('id', uuid) id: string, @Body() body: CastMotionBallotDto, @CurrentActor() actor: Actor): Promise<BallotReceipt> {
    return this.council.send(COUNCIL_PATTERNS.motionBallotsCast, actor, { id, body });
  }

  @Post(':id/close')
  @HttpCode(200)
  @Requires({ resource: 'motion', role: 'admin' })
  @ApiOperation({ summary: 'Close and count a motion; a passed action is applied' })
  @ApiProblems(401, 403, 404, 409)
  close(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<MotionResultView> {
    return this.council.send(COUNCIL_PATTERNS.motionsClose, actor, { id });
  }

  @Get(':id/result')
  @Public()
  @ApiOperation({ summary: "A closed motion's result (anyone)" })
  @ApiProblems(400, 404, 409)
  result(@Param('id', uuid) id: string, @CurrentActor() actor: Actor | null): Promise<MotionResultView> {
    return this.council.send(COUNCIL_PATTERNS.motionsResult, actor, { id });
  }
}

@ApiTags('councils')
@ApiBearerAuth()
@Controller('rounds')
export class RoundsController {
  constructor(@Inject(serviceClientToken('council')) private readonly council: ServiceClient) {}

  @Get(':id')
  @ApiOperation({ summary: 'A round: window, budget snapshot, candidates with their cost' })
  @ApiProblems(400, 401, 404)
  get(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<RoundView> {
    return this.council.send(COUNCIL_PATTERNS.roundsGet, actor, { id });
  }

  @Post(':id/candidates')
  @ApiOperation({ summary: 'Put a submitted production request on the ballot (a council member or its requester), before voting starts' })
  @ApiProblems(400, 401, 403, 404, 409, 422, 503)
  addCandidate(@Param('id', uuid) id: string, @Body() body: AddCandidateDto, @CurrentActor() actor: Actor): Promise<CandidateView> {
    return this.council.send(COUNCIL_PATTERNS.candidatesAdd, actor, { id, body });
  }

  @Put(':id/ballot')
  @Requires({ resource: 'round', role: 'member' })
  @ApiOperation({ summary: 'Cast or replace your ballot while the window is open; answers your receipt' })
  @ApiProblems(400, 401, 403, 404, 409)
  cast(@Param('id', uuid) id: string, @Body() body: CastRoundBallotDto, @CurrentActor() actor: Actor): Promise<BallotReceipt> {
    return this.council.send(COUNCIL_PATTERNS.roundBallotsCast, actor, { id, body });
  }

  @Get(':id/ballot')
  @Requires({ resource: 'round', role: 'member' })
  @ApiOperation({ summary: 'Your own ballot and its receipt (never anyone else’s)' })
  @ApiProblems(400, 401, 403, 404)
  own(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<OwnBallotView> {
    return this.council.send(COUNCIL_PATTERNS.roundBallotsGetOwn, actor, { id });
  }

  @Post(':id/close')
  @HttpCode(200)
  @Requires({ resource: 'round', role: 'admin' })
  @ApiOperation({ summary: 'Close early and count (council admins)' })
  @ApiProblems(401, 403, 404, 409)
  close(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<RoundResultView> {
    return this.council.send(COUNCIL_PATTERNS.roundsClose, actor, { id });
  }

  @Get(':id/result')
  @Public()
  @ApiOperation({
    summary: "A closed round's result: funded in order, each candidate's votes, cost and why (anyone)",
    description:
      "Each candidate also carries `production`: its production request as production tells it now (state, reason, what production made of this round's decision), e.g. a funded request that failed for want of machine time. It is read when asked, is not part of the tally nor of its digest, and is left out (with `production.unavailable` saying why) when production does not answer. Production's `reason` is shown to the council's members, the request's requester and platform admins (it may quote an operator's note); others get `reason: null` and `reasonWithheld: true`.",
  })
  @ApiProblems(400, 404, 409)
  result(@Param('id', uuid) id: string, @CurrentActor() actor: Actor | null): Promise<RoundResultView> {
    return this.council.send(COUNCIL_PATTERNS.roundsResult, actor, { id });
  }

  @Get(':id/export.pb')
  @Public()
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'The closed round as an anonymised Pabulib file; recompute it with `npm run cli -- tally`' })
  @ApiProblems(400, 404, 409)
  async exportPb(@Param('id', uuid) id: string, @CurrentActor() actor: Actor | null): Promise<string> {
    const { text } = await this.council.send<{ text: string }>(COUNCIL_PATTERNS.roundsExport, actor, { id });
    return text;
  }
}
