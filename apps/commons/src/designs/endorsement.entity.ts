import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A maintainer's or a council's endorsement of a version. Append-only, once per endorser. */
@Entity({ name: 'endorsements' })
export class EndorsementEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') designVersionId: string;
  @Column('text') kind: 'maintainer' | 'council';
  @Column('uuid') endorserId: string;
  @Column('uuid', { nullable: true }) endorsedBy: string | null;
  @Column('text', { nullable: true }) note: string | null;
  @Column('timestamptz') createdAt: Date;
}
