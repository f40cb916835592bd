import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Material on hand; `held` is what reservations have set aside (never more than on hand). */
@Entity({ name: 'material_stock' })
export class MaterialStockEntity {
  @PrimaryColumn('uuid') fabUnitId: string;
  @PrimaryColumn('text') material: string;
  @Column('integer') position: number;
  @Column('numeric', { nullable: true }) quantity: string | null;
  @Column('text', { nullable: true }) unit: string | null;
  @Column('numeric') held: string;
  @Column('timestamptz') updatedAt: Date;
}
