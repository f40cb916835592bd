import { Inject, Injectable } from '@nestjs/common';
import {
  type BallotReceipt,
  type CastMotionBallotDto,
  type CreateMotionDto,
  type MotionAction,
  type MotionResultView,
  type MotionView,
} from '#libs/contracts/src/council/index.js';
import { type Actor, badRequest, conflict, type FieldError, forbidden, notFound } from '#libs/contracts/src/index.js';
import { tallyDigest } from '#libs/tally/src/index.js';
import { ballotReceipt } from '../../../ballots/receipt.js';
import { exact, resolveRules, text } from '../../../councils/council-rules.js';
import { COUNCILS_REPOSITORY, type CouncilsRepository } from '../../../councils/councils.repository.js';
import { ManageCouncilUseCase } from '../../../councils/usecases/manage-council/manage-council.usecase.js';
import { person } from '../../../shared/actor.js';
import { CLOCK, type Clock } from '../../../shared/clock.js';
import { rethrowBallotAfterClose } from '../../../shared/db-errors.js';
import { motionView } from '../../../shared/views.js';
import { tallyMotion } from '../../motion-tally.js';
import { MOTIONS_REPOSITORY, type MotionsRepository } from '../../motions.repository.js';

/**
 * Every decision other than allocation: members propose and vote, an admin closes. A yes/no
 * motion passes on its quorum and threshold; a ranked one is counted by Schulze (winning votes)
 * with the optional default option of the Debian constitution. A passed motion's action (admit a
 * member, change the rules) is applied in the closing transaction. Ballots hold the motion row
 * FOR SHARE and the close takes it FOR UPDATE, as for rounds.
 */
@Injectable()
export class MotionVotingUseCase {
  constructor(
    @Inject(COUNCILS_REPOSITORY) private readonly councils: CouncilsRepository,
    @Inject(MOTIONS_REPOSITORY) private readonly motions: MotionsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly manage: ManageCouncilUseCase,
  ) {}

  async create(actor: Actor | null, councilId: string, body: CreateMotionDto): Promise<MotionView> {
    const me = person(actor);
    const council = await this.councils.find(councilId);
    if (!council) throw notFound('council', councilId);
    if (!me.platformAdmin && !(await this.councils.member(councilId, me.accountId))) {
      throw forbidden(`Only members of council ${councilId} propose motions`);
    }
    const errors: FieldError[] = [];
    const ranked = body.kind === 'ranked';
    let action: MotionAction | null = null;
    if (ranked) {
      if (!body.options) errors.push({ field: 'options', message: 'a ranked motion needs at least 2 options' });
      if (body.threshold !== undefined) errors.push({ field: 'threshold', message: 'threshold is for yes-no motions; ranked ones use majorityRatio' });
      if (body.action !== undefined) errors.push({ field: 'action', message: 'only yes-no motions carry an action' });
      if (body.defaultOption !== undefined && !body.options?.includes(body.defaultOption)) {
        errors.push({ field: 'defaultOption', message: 'defaultOption must be one of the options' });
      }
      if (body.majorityRatio !== undefined && !(exact(body.majorityRatio)?.gt(0) ?? false)) {
        errors.push({ field: 'majorityRatio', message: 'majorityRatio must be positive' });
      }
    } else {
      for (const f of ['options', 'defaultOption', 'majorityRatio'] as const) {
        if (body[f] !== undefined) errors.push({ field: f, message: `${f} is for ranked motions` });
      }
      if (body.action?.type === 'admit-member') {
        if (!body.action.accountId) errors.push({ field: 'action.accountId', message: 'admit-member needs accountId' });
        if (!body.action.role) errors.push({ field: 'action.role', message: 'admit-member needs role' });
        if (body.action.rules !== undefined) errors.push({ field: 'action.rules', message: 'rules are for change-rules' });
        if (body.action.accountId && body.action.role) action = { type: 'admit-member', accountId: body.action.accountId, role: body.action.role };
      } else if (body.action?.type === 'change-rules') {
        if (!body.action.rules) errors.push({ field: 'action.rules', message: 'change-rules needs rules' });
        if (body.action.accountId || body.action.role) errors.push({ field: 'action', message: 'accountId and role are for admit-member' });
        const checked = resolveRules(body.action.rules, council.rules, 'action.rules');
        errors.push(...checked.errors);
        action = { type: 'change-rules', rules: JSON.parse(JSON.stringify(body.action.rules ?? {})) };
      }
    }
    const quorum = body.quorum !== undefined ? exact(body.quorum) : exact(council.rules.quorum);
    if (!quorum || quorum.gt(1)) errors.push({ field: 'quorum', message: 'quorum must be a share between 0 and 1' });
    const closesAt = body.closesAt ? new Date(body.closesAt) : null;
    if (closesAt && closesAt <= this.clock.now()) errors.push({ field: 'closesAt', message: 'closesAt must be in the future' });
    if (errors.length) throw badRequest(errors.length === 1 ? errors[0]!.message : `${errors.length} fields are not valid`, errors);

    const motion = await this.motions.transaction((tx) =>
      this.motions.create(tx, {
        councilId,
        title: body.title.trim(),
        description: (body.description ?? '').trim(),
        kind: body.kind,
        threshold: ranked ? null : (body.threshold ?? 'majority'),
        quorum: text(quorum!),
        options: ranked ? body.options! : [],
        defaultOption: ranked ? (body.defaultOption ?? null) : null,
        majorityRatio: ranked ? text(exact(body.majorityRatio ?? '1')!) : null,
        action,
        closesAt,
        createdBy: me.accountId,
      }),
    );
    return motionView(motion);
  }

  async get(id: string): Promise<MotionView> {
    const motion = await this.motions.find(id);
    if (!motion) throw notFound('motion', id);
    return motionView(motion);
  }

  async cast(actor: Actor | null, motionId: string, body: CastMotionBallotDto): Promise<BallotReceipt> {
    const me = person(actor);
    try {
      return await this.motions.transaction(async (tx) => {
        const motion = await this.motions.lock(tx, motionId, 'share');
        if (!motion) throw notFound('motion', motionId);
        const member = await this.councils.member(motion.councilId, me.accountId, tx);
        if (!member) throw forbidden(`Only members of council ${motion.councilId} vote on its motions`);
        const now = this.clock.now();
        if (motion.state !== 'open') throw conflict(`motion ${motionId} is closed: the ballot was not counted`);
        if (motion.closesAt && now >= motion.closesAt) throw conflict(`voting on motion ${motionId} closed at ${motion.closesAt.toISOString()}`);
        const errors: FieldError[] = [];
        if (motion.kind === 'yes-no') {
          if (!body.choice) errors.push({ field: 'choice', message: 'choice must be yes, no or abstain' });
          if (body.ranking !== undefined) errors.push({ field: 'ranking', message: 'this is a yes-no motion: send choice' });
        } else {
          if (!body.ranking) errors.push({ field: 'ranking', message: 'ranking must list options, best first' });
          if (body.choice !== undefined) errors.push({ field: 'choice', message: 'this is a ranked motion: send ranking' });
          body.ranking?.forEach((o, i) => {
            if (!motion.options.includes(o)) errors.push({ field: `ranking.${i}`, message: `"${o}" is not an option of this motion` });
          });
        }
        if (errors.length) throw badRequest(errors.length === 1 ? errors[0]!.message : `${errors.length} fields are not valid`, errors);
        const council = await this.councils.find(motion.councilId, tx);
        const canonical = motion.kind === 'yes-no' ? body.choice! : body.ranking!;
        const receipt = ballotReceipt('motion', motionId, canonical);
        const put = await this.motions.putBallot(
          tx,
          { motionId, memberId: member.id, choice: body.choice ?? null, ranking: body.ranking ?? null, receipt, castAt: now },
          council?.rules.replaceableBallots ?? true,
        );
        if (!put.stored) throw conflict(`you have already voted on motion ${motionId}, and the council's rules make ballots final`);
        return { replaced: put.replaced, receipt, castAt: now.toISOString() };
      });
    } catch (error) {
      rethrowBallotAfterClose(error);
    }
  }

  async close(actor: Actor | null, motionId: string): Promise<MotionResultView> {
    const me = person(actor);
    const found = await this.motions.find(motionId);
    if (!found) throw notFound('motion', motionId);
    await this.manage.requireAdmin(me, found.councilId);
    return this.councils.transaction(async (tx) => {
      // Council first, then motion: the same order as every other writer of members and rules.
      const council = await this.councils.lock(tx, found.councilId);
      const motion = await this.motions.lock(tx, motionId, 'update');
      if (!motion || !council) throw notFound('motion', motionId);
      if (motion.state === 'closed') throw conflict(`motion ${motionId} is already closed`);
      const members = await this.councils.countMembers(motion.councilId, tx);
      const ballots = await this.motions.ballots(motionId, tx);
      const tally = tallyMotion(motion, members, ballots);
      let actionApplied = false;
      let explanation = tally.explanation;
      if (tally.passed && motion.action?.type === 'admit-member') {
        const added = await this.councils.addMember(tx, { councilId: motion.councilId, accountId: motion.action.accountId, role: motion.action.role, admittedBy: null });
        actionApplied = true;
        explanation += added ? `; account ${motion.action.accountId} admitted as ${motion.action.role}` : `; account ${motion.action.accountId} was already a member`;
      } else if (tally.passed && motion.action?.type === 'change-rules') {
        const { rules, errors } = resolveRules(motion.action.rules as never, council.rules, 'action.rules');
        if (errors.length === 0) {
          await this.councils.updateRules(tx, council.id, rules);
          actionApplied = true;
          explanation += '; the council rules were changed (rounds already open keep theirs)';
        } else {
          explanation += `; the rules change could not be applied: ${errors.map((e) => e.message).join('; ')}`;
        }
      }
      const closedAt = this.clock.now();
      const { digest } = tallyDigest({
        ballots: ballots.map((b) => b.choice ?? b.ranking),
        rules: { id: motion.id, kind: motion.kind, threshold: motion.threshold, quorum: motion.quorum, options: motion.options, defaultOption: motion.defaultOption, majorityRatio: motion.majorityRatio, action: motion.action, members },
      });
      const result: MotionResultView = {
        motionId,
        ...tally,
        explanation,
        actionApplied,
        receipts: ballots.map((b) => b.receipt).sort(),
        digest,
        closedAt: closedAt.toISOString(),
      };
      await this.motions.close(tx, motionId, result, closedAt);
      return result;
    });
  }

  async result(motionId: string): Promise<MotionResultView> {
    const motion = await this.motions.find(motionId);
    if (!motion) throw notFound('motion', motionId);
    if (motion.state !== 'closed' || !motion.result) throw conflict(`motion ${motionId} is open: its result comes at the close`);
    return motion.result;
  }
}
