import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { type Actor, notFound } from '#libs/contracts/src/index.js';
import { formatKey, hashSecret, newSecret, parseKey, secretMatches } from './api-key-secret.js';
import { ApiKeyEntity } from './api-key.entity.js';
import type { ApiKeyDto, CreatedApiKeyDto } from './api-keys.dto.js';

/** Writing last_used_at on every machine request would double its cost; once a minute is plenty. */
const LAST_USED_RESOLUTION_MS = 60_000;

@Injectable()
export class ApiKeysService {
  constructor(@InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>) {}

  async create(fabUnitId: string, name: string, createdBy: string | null): Promise<CreatedApiKeyDto> {
    const secret = newSecret();
    const row = await this.keys.save(this.keys.create({ fabUnitId, name, secretHash: hashSecret(secret), createdBy }));
    return { ...toDto(row), key: formatKey(row.id, secret) };
  }

  async list(fabUnitId: string): Promise<ApiKeyDto[]> {
    const rows = await this.keys.find({ where: { fabUnitId }, order: { createdAt: 'ASC' } });
    return rows.map(toDto);
  }

  async revoke(fabUnitId: string, id: string): Promise<ApiKeyDto> {
    const row = await this.keys.findOneBy({ id, fabUnitId });
    if (!row) throw notFound('api key', id);
    if (!row.revokedAt) {
      row.revokedAt = new Date();
      await this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: row.revokedAt });
    }
    return toDto(row);
  }

  /** The actor a presented key stands for, or null when it is unknown, wrong or revoked. */
  async authenticate(presented: string): Promise<Actor | null> {
    const parsed = parseKey(presented);
    if (!parsed) return null;
    const row = await this.keys.findOneBy({ id: parsed.id });
    if (!row || row.revokedAt || !secretMatches(parsed.secret, row.secretHash)) return null;
    const now = Date.now();
    if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      void this.keys.update({ id: row.id }, { lastUsedAt: new Date(now) }).catch(() => undefined);
    }
    return { kind: 'machine', apiKeyId: row.id, fabUnitId: row.fabUnitId, accountId: row.createdBy, platformAdmin: false };
  }
}

function toDto(row: ApiKeyEntity): ApiKeyDto {
  return {
    id: row.id,
    fabUnitId: row.fabUnitId,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
