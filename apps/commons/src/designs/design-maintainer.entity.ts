import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An account that may add versions and maintainers to a design. */
@Entity({ name: 'design_maintainers' })
export class DesignMaintainerEntity {
  @PrimaryColumn('uuid') designId: string;
  @PrimaryColumn('uuid') accountId: string;
  @Column('uuid', { nullable: true }) addedBy: string | null;
  @Column('timestamptz', { default: () => 'now()' }) addedAt: Date;
}
