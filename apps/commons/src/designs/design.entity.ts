import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The mutable head of a design (see the migration for what the database guarantees). The
 * generated columns `search` (tsvector) and `verified` are computed by PostgreSQL; only
 * `verified` is mapped, read-only.
 */
@Entity({ name: 'designs' })
export class DesignEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') slug: string;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
  @Column('uuid') latestVersionId: string;
  @Column('text') latestVersion: string;
  @Column('text') title: string;
  @Column('text') function: string;
  @Column('text', { array: true }) keywords: string[];
  @Column('text') license: string;
  @Column('text', { array: true }) processes: string[];
  @Column('text', { array: true }) materials: string[];
  @Column('integer') successfulBuilds: number;
  @Column('integer') failedBuilds: number;
  @Column({ type: 'bigint' }) unitsBuilt: string;
  @Column('integer') endorsements: number;
  @Column({ type: 'boolean', insert: false, update: false }) verified: boolean;
}
