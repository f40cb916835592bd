import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { badRequest } from '#libs/contracts/src/index.js';
import type { FabUnitDraft } from '#libs/contracts/src/fabrication/fab-unit.js';
import type { OkwImportSummary } from '#libs/contracts/src/fabrication/views.js';
import { PG_CHECK_VIOLATION, PG_UNIQUE_VIOLATION, pgCode, pgConstraint } from '#libs/database/src/index.js';
import { dedupeKey, mergeDrafts } from '../../../okw/dedupe.js';
import { parseOkw } from '../../../okw/okw-import.js';
import {
  canonicalJson,
  draftOf,
  MAX_MACHINES_PER_ENTRY,
  machineRecordsOf,
  type MachineWrite,
  recordsOfDraft,
  stockRecordsOf,
  type StockWrite,
  type UnitWrite,
} from '../../fab-unit-records.js';
import { FAB_UNITS_REPOSITORY, type FabUnitsRepository, type Tx, type UnitPatch } from '../../fab-units.repository.js';

export interface ImportOptions {
  /** Names records that have no name of their own (Helpful Engineering's variant). */
  sourceName?: string;
  /** Called as units are written: the command line draws its progress bar with it. */
  onProgress?: (done: number, total: number) => void;
}

/** Units written per statement batch; also the progress step. */
const BATCH = 250;
const NAME_MAX = 300;

/**
 * OKW (YAML or JSON) and fablabs.io records in, in one transaction. Idempotent: a unit is
 * known by its normalised name and url (a unique column), an existing unit only gains what
 * it lacked (what is already there wins, as within one file), and a unit the import would
 * not change is left alone — importing the same file twice writes nothing the second time.
 */
@Injectable()
export class ImportOkwUseCase {
  constructor(@Inject(FAB_UNITS_REPOSITORY) private readonly units: FabUnitsRepository) {}

  async execute(body: string, mediaType: string, options: ImportOptions = {}): Promise<OkwImportSummary> {
    const parsed = parseOkw(body, mediaType, { sourceName: options.sourceName });
    if ('error' in parsed) throw badRequest(`The body is not an OKW facility list: ${parsed.error}`, [{ field: 'body', message: parsed.error }]);
    const warnings = [...parsed.warnings];
    const drafts = parsed.units.map((d) => fitForStorage(d, warnings));

    let attempt = 0;
    for (;;) {
      try {
        const written = await this.units.transaction((tx) => this.write(drafts, tx, options));
        return {
          records: parsed.stats.records,
          ...written.counts,
          merged: parsed.stats.merged,
          skipped: parsed.stats.skipped,
          flaggedNotLocatable: parsed.stats.notLocatable,
          warnings,
          ...(drafts.length <= 100 ? { ids: written.ids } : {}),
        };
      } catch (error) {
        const code = pgCode(error);
        // A unit registered through the API between our read and our insert: read again.
        if (code === PG_UNIQUE_VIOLATION && attempt++ < 2) continue;
        // A value the reader let through but a column refuses (out of range, too long): the
        // whole import is refused, as one transaction, and says which rule.
        if (code === PG_CHECK_VIOLATION || code?.startsWith('22')) {
          throw badRequest(`A record has a value the fab unit store refuses (${pgConstraint(error) ?? (error as Error).message}); nothing was imported`);
        }
        throw error;
      }
    }
  }

  private async write(drafts: FabUnitDraft[], tx: Tx, options: ImportOptions) {
    await this.units.lockImports(tx);
    const keys = drafts.map((d) => dedupeKey(d));
    const existing = await this.units.idsByDedupeKey(keys, tx);
    const counts = { created: 0, updated: 0, unchanged: 0 };
    const ids: string[] = [];

    const known = drafts.map((d, i) => ({ draft: d, id: existing.get(keys[i]!) })).filter((e): e is { draft: FabUnitDraft; id: string } => !!e.id);
    const bundles = new Map((await this.units.bundles(known.map((k) => k.id), tx)).map((b) => [b.unit.id, b]));
    for (const { draft, id } of known) {
      const bundle = bundles.get(id)!;
      const before = draftOf(bundle.unit, bundle.machines, bundle.stock);
      const merged = mergeDrafts(before, draft);
      if (canonicalJson(merged) === canonicalJson(before)) {
        counts.unchanged++;
        continue;
      }
      const { unit } = recordsOfDraft(merged, { unitId: id, newId: randomUUID, createdBy: null });
      const { id: _id, createdBy: _c, sourceSystem: _s, sourceId: _si, closures: _cl, ...fields } = unit;
      await this.units.updateUnit(id, fields satisfies UnitPatch, tx);
      const machines = !bundle.machines.length && merged.machines?.length ? machineRecordsOf(merged.machines, id, 0, randomUUID) : [];
      const stock = !bundle.stock.length && merged.materials?.length ? stockRecordsOf(merged.materials, id, 0) : [];
      if (machines.length || stock.length) await this.units.insert([], machines, stock, tx);
      counts.updated++;
      ids.push(id);
    }

    const fresh = drafts.filter((_, i) => !existing.has(keys[i]!));
    options.onProgress?.(drafts.length - fresh.length, drafts.length);
    for (let i = 0; i < fresh.length; i += BATCH) {
      const units: UnitWrite[] = [];
      const machines: MachineWrite[] = [];
      const stock: StockWrite[] = [];
      for (const draft of fresh.slice(i, i + BATCH)) {
        const records = recordsOfDraft(draft, { unitId: randomUUID(), newId: randomUUID, createdBy: null });
        units.push(records.unit);
        machines.push(...records.machines);
        stock.push(...records.stock);
        ids.push(records.unit.id);
      }
      await this.units.insert(units, machines, stock, tx);
      counts.created += units.length;
      options.onProgress?.(drafts.length - fresh.length + counts.created, drafts.length);
    }
    return { counts, ids };
  }
}

/** What the columns refuse, trimmed with a warning rather than failing the whole import. */
function fitForStorage(d: FabUnitDraft, warnings: string[]): FabUnitDraft {
  let out = d;
  if (d.name.length > NAME_MAX) {
    warnings.push(`${d.name.slice(0, 60)}…: name longer than ${NAME_MAX} characters: cut`);
    out = { ...out, name: d.name.slice(0, NAME_MAX) };
  }
  const big = (d.machines ?? []).filter((m) => (m.quantity ?? 1) > MAX_MACHINES_PER_ENTRY);
  if (big.length) warnings.push(`${d.name}: equipment quantity above ${MAX_MACHINES_PER_ENTRY}: ${MAX_MACHINES_PER_ENTRY} machines registered`);
  return out;
}
