import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'accounts' })
export class AccountEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stored lower-cased; the unique index makes one account per address under concurrency. */
  @Column('text')
  email: string;

  @Column('text')
  displayName: string;

  @Column('text')
  passwordHash: string;

  @Column('boolean', { default: false })
  platformAdmin: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
