import { Inject, Injectable } from '@nestjs/common';
import { CANDIDATES_REPOSITORY, type CandidatesRepository, type UnitSnapshot } from './candidates.repository.js';

const MAX_ENTRIES = 50_000;

/**
 * Units and their machines as matching last read them, by version (the unit's updated_at,
 * which every edit of the unit, its machines or its hours moves). A match reads the versions
 * of the units it considers and fetches again only those that moved, so several processes
 * may cache side by side and none serves an edited unit stale.
 */
@Injectable()
export class UnitSnapshots {
  private readonly cache = new Map<string, UnitSnapshot>();

  constructor(@Inject(CANDIDATES_REPOSITORY) private readonly repo: CandidatesRepository) {}

  async get(units: readonly { id: string; version: string }[]): Promise<Map<string, UnitSnapshot>> {
    const out = new Map<string, UnitSnapshot>();
    const missing: string[] = [];
    for (const u of units) {
      const hit = this.cache.get(u.id);
      if (hit && hit.version === u.version) out.set(u.id, hit);
      else missing.push(u.id);
    }
    if (missing.length) {
      if (this.cache.size + missing.length > MAX_ENTRIES) this.cache.clear();
      for (const s of await this.repo.snapshots(missing)) {
        this.cache.set(s.id, s);
        out.set(s.id, s);
      }
    }
    return out;
  }
}
