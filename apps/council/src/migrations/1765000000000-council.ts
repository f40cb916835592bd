import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropOutboxTableSql, outboxTableSql } from '#libs/outbox/src/index.js';

/**
 * Councils, members, motions, rounds, candidates and ballots. The invariants live here:
 * - one member per (council, account); one ballot per (round, member) and per (motion, member);
 * - a ballot row can only be written while its round or motion is open (trigger), on top of the
 *   row locks the use cases take (ballots hold the round FOR SHARE, the close takes it FOR UPDATE),
 *   so no ballot can be stored after the close whatever the code does;
 * - a closed round or motion has its result and digest.
 */
export class Council1765000000000 implements MigrationInterface {
  name = 'Council1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE council.councils (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        scope text NOT NULL DEFAULT '',
        rules jsonb NOT NULL CHECK (jsonb_typeof(rules) = 'object'),
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE council.members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        council_id uuid NOT NULL REFERENCES council.councils(id) ON DELETE CASCADE,
        account_id uuid NOT NULL,
        role text NOT NULL CHECK (role IN ('fab_unit_delegate', 'designer', 'community', 'admin')),
        admitted_by uuid,
        admitted_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT members_council_account_key UNIQUE (council_id, account_id)
      )`);
    await q.query(`CREATE INDEX members_account_idx ON council.members (account_id)`);
    await q.query(`
      CREATE TABLE council.council_fab_units (
        council_id uuid NOT NULL REFERENCES council.councils(id) ON DELETE CASCADE,
        fab_unit_id uuid NOT NULL,
        added_by uuid,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (council_id, fab_unit_id)
      )`);

    await q.query(`
      CREATE TABLE council.motions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        council_id uuid NOT NULL REFERENCES council.councils(id) ON DELETE CASCADE,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        description text NOT NULL DEFAULT '',
        kind text NOT NULL CHECK (kind IN ('yes-no', 'ranked')),
        threshold text CHECK (threshold IN ('majority', '2:1', '3:1')),
        quorum text NOT NULL,
        options jsonb NOT NULL DEFAULT '[]',
        default_option text,
        majority_ratio text,
        action jsonb,
        state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
        closes_at timestamptz,
        result jsonb,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        CONSTRAINT motions_kind_shape CHECK (
          (kind = 'yes-no' AND threshold IS NOT NULL) OR
          (kind = 'ranked' AND jsonb_array_length(options) >= 2 AND action IS NULL)),
        CONSTRAINT motions_closed_has_result CHECK ((state = 'closed') = (result IS NOT NULL AND closed_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX motions_council_idx ON council.motions (council_id)`);
    await q.query(`
      CREATE TABLE council.motion_ballots (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        motion_id uuid NOT NULL REFERENCES council.motions(id) ON DELETE CASCADE,
        member_id uuid NOT NULL REFERENCES council.members(id) ON DELETE CASCADE,
        choice text CHECK (choice IN ('yes', 'no', 'abstain')),
        ranking jsonb,
        receipt text NOT NULL,
        cast_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT motion_ballots_one_per_member UNIQUE (motion_id, member_id),
        CONSTRAINT motion_ballots_shape CHECK ((choice IS NULL) <> (ranking IS NULL))
      )`);

    await q.query(`
      CREATE TABLE council.rounds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        council_id uuid NOT NULL REFERENCES council.councils(id) ON DELETE CASCADE,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
        period_from timestamptz NOT NULL,
        period_to timestamptz NOT NULL,
        opens_at timestamptz NOT NULL,
        closes_at timestamptz NOT NULL,
        rules jsonb NOT NULL,
        budget jsonb NOT NULL,
        result jsonb,
        digest text,
        export_pb text,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        closed_by uuid,
        CONSTRAINT rounds_period CHECK (period_to > period_from),
        CONSTRAINT rounds_window CHECK (closes_at > opens_at),
        CONSTRAINT rounds_closed_has_result CHECK ((state = 'closed') = (result IS NOT NULL AND digest IS NOT NULL AND export_pb IS NOT NULL AND closed_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX rounds_council_idx ON council.rounds (council_id)`);
    await q.query(`CREATE INDEX rounds_open_idx ON council.rounds (closes_at) WHERE state = 'open'`);
    await q.query(`
      CREATE TABLE council.candidates (
        round_id uuid NOT NULL REFERENCES council.rounds(id) ON DELETE CASCADE,
        production_request_id uuid NOT NULL,
        title text NOT NULL,
        purpose text NOT NULL DEFAULT '',
        requester_id uuid NOT NULL,
        fab_unit_ids jsonb NOT NULL,
        cost_vector jsonb NOT NULL,
        cost text NOT NULL,
        resources jsonb NOT NULL,
        added_by uuid NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (round_id, production_request_id)
      )`);
    await q.query(`
      CREATE TABLE council.round_ballots (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        round_id uuid NOT NULL REFERENCES council.rounds(id) ON DELETE CASCADE,
        member_id uuid NOT NULL REFERENCES council.members(id) ON DELETE CASCADE,
        content jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
        receipt text NOT NULL,
        cast_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT round_ballots_one_per_member UNIQUE (round_id, member_id)
      )`);

    // Defence in depth for "nothing counts after close": whatever path writes a ballot, the
    // database refuses it once the round or motion is closed. SQLSTATE P0001 with this message
    // prefix is mapped to 409 by the service.
    await q.query(`
      CREATE FUNCTION council.refuse_ballot_after_close() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE s text;
      BEGIN
        IF TG_TABLE_NAME = 'round_ballots' THEN
          SELECT state INTO s FROM council.rounds WHERE id = NEW.round_id;
        ELSE
          SELECT state INTO s FROM council.motions WHERE id = NEW.motion_id;
        END IF;
        IF s IS DISTINCT FROM 'open' THEN
          RAISE EXCEPTION 'ballot-after-close: the vote is closed' USING ERRCODE = 'P0001';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER round_ballots_open_only BEFORE INSERT OR UPDATE ON council.round_ballots
      FOR EACH ROW EXECUTE FUNCTION council.refuse_ballot_after_close()`);
    await q.query(`
      CREATE TRIGGER motion_ballots_open_only BEFORE INSERT OR UPDATE ON council.motion_ballots
      FOR EACH ROW EXECUTE FUNCTION council.refuse_ballot_after_close()`);

    for (const sql of outboxTableSql('council')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(dropOutboxTableSql('council'));
    await q.query(`DROP TABLE council.round_ballots, council.candidates, council.rounds, council.motion_ballots, council.motions, council.council_fab_units, council.members, council.councils`);
    await q.query(`DROP FUNCTION council.refuse_ballot_after_close()`);
  }
}
