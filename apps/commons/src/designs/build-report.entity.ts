import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A fab unit's report of building a version. Append-only; `sourceJobId` is unique. */
@Entity({ name: 'build_reports' })
export class BuildReportEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') designVersionId: string;
  @Column('uuid') fabUnitId: string;
  @Column('boolean') success: boolean;
  @Column('integer') quantity: number;
  @Column('text', { nullable: true }) notes: string | null;
  @Column('text', { nullable: true }) photoUrl: string | null;
  @Column('text') source: 'http' | 'production';
  @Column('text', { nullable: true }) sourceJobId: string | null;
  @Column('uuid', { nullable: true }) reportedBy: string | null;
  @Column('uuid', { nullable: true }) apiKeyId: string | null;
  @Column('timestamptz') reportedAt: Date;
  @Column('timestamptz') receivedAt: Date;
}
