import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DesignVersionContent } from '#libs/contracts/src/commons/design-version.js';

/** A published version. Immutable: a trigger refuses UPDATE, DELETE and TRUNCATE. */
@Entity({ name: 'design_versions' })
export class DesignVersionEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') designId: string;
  @Column('text') version: string;
  @Column('jsonb') content: DesignVersionContent;
  @Column('text') contentHash: string;
  @Column('text') title: string;
  @Column('text') license: string;
  @Column('text', { nullable: true }) repo: string | null;
  @Column('uuid', { nullable: true }) forkedFromVersionId: string | null;
  @Column('uuid', { nullable: true }) publishedBy: string | null;
  @Column('timestamptz') publishedAt: Date;
}
