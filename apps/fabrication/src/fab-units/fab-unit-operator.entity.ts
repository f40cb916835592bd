import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A person who may edit a fab unit, its machines, stock and hours. */
@Entity({ name: 'fab_unit_operators' })
export class FabUnitOperatorEntity {
  @PrimaryColumn('uuid') fabUnitId: string;
  @PrimaryColumn('uuid') accountId: string;
  @Column('uuid', { nullable: true }) addedBy: string | null;
  @Column('timestamptz') addedAt: Date;
}
