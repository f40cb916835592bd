import { Inject, Injectable } from '@nestjs/common';
import { badRequest, notFound } from '#libs/contracts/src/index.js';
import type { ListFabUnitsQueryDto } from '#libs/contracts/src/fabrication/dto.js';
import type { FabUnitSummary } from '#libs/contracts/src/fabrication/messages.js';
import type { FabUnitListItem, FabUnitPage, FabUnitView, OkwExport } from '#libs/contracts/src/fabrication/views.js';
import { canonicalProcess, processWithDescendants } from '#libs/taxonomy/src/index.js';
import { toOkwYaml } from '../../../okw/okw-export.js';
import { compact, draftOf, unitView } from '../../fab-unit-records.js';
import { FAB_UNITS_REPOSITORY, type FabUnitsRepository, type ListFilter, type ListRow } from '../../fab-units.repository.js';

const DEFAULT_LIMIT = 50;
const DEFAULT_RADIUS_KM = 50;

/** Reading fab units: one, a page of them, their OKW, their summaries. Anyone may. */
@Injectable()
export class ReadFabUnitsUseCase {
  constructor(@Inject(FAB_UNITS_REPOSITORY) private readonly units: FabUnitsRepository) {}

  async get(fabUnitId: string): Promise<FabUnitView> {
    const [bundle] = await this.units.bundles([fabUnitId]);
    if (!bundle) throw notFound('fab unit', fabUnitId);
    return unitView(bundle.unit, bundle.machines, bundle.stock, bundle.operators);
  }

  async exportOkw(fabUnitId: string): Promise<OkwExport> {
    const [bundle] = await this.units.bundles([fabUnitId]);
    if (!bundle) throw notFound('fab unit', fabUnitId);
    const slug = bundle.unit.name.normalize('NFKD').replace(/[^\w]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'fab-unit';
    return { yaml: toOkwYaml(draftOf(bundle.unit, bundle.machines, bundle.stock)), fileName: `${slug}.okw.yml` };
  }

  summaries(ids: readonly string[]): Promise<FabUnitSummary[]> {
    return this.units.summaries([...new Set(ids)]);
  }

  /**
   * Keyset pagination: nearest first (then id) with `near`, else by name (then id). The cursor
   * carries the last row's sort key, so pages neither skip nor repeat rows when units are
   * added meanwhile.
   */
  async list(query: ListFabUnitsQueryDto): Promise<FabUnitPage> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const filter: ListFilter = { limit: limit + 1, country: query.country, status: query.status, locatable: query.locatable };
    if (query.near) {
      const [lat, lon] = query.near.split(',').map((s) => Number(s.trim()));
      if (!(Math.abs(lat!) <= 90 && Math.abs(lon!) <= 180)) {
        throw badRequest('near must be "lat,lon" with lat in [-90, 90] and lon in [-180, 180]', [{ field: 'near', message: 'near is out of range' }]);
      }
      filter.near = { lat: lat!, lon: lon!, radiusKm: query.radiusKm ?? DEFAULT_RADIUS_KM };
    } else if (query.radiusKm !== undefined) {
      throw badRequest('radiusKm needs near', [{ field: 'radiusKm', message: 'radiusKm needs near=lat,lon' }]);
    }
    if (query.process) {
      const id = canonicalProcess(query.process);
      if (!id) throw badRequest(`process "${query.process}" is not a process of the taxonomy`, [{ field: 'process', message: 'unknown process' }]);
      filter.processes = processWithDescendants(id);
    }
    if (query.cursor) filter.after = decodeCursor(query.cursor, !!filter.near);

    const rows = await this.units.list(filter);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > limit && last
        ? encodeCursor(filter.near ? { d: last.distanceKm!, i: last.id } : { n: last.name, i: last.id })
        : null;
    return { items: page.map(listItem), nextCursor };
  }
}

function listItem(r: ListRow): FabUnitListItem {
  return compact({
    id: r.id,
    name: r.name,
    kind: r.kind,
    status: r.status,
    location: compact({
      lat: r.lat ?? undefined,
      lon: r.lon ?? undefined,
      address: r.address ?? undefined,
      city: r.city ?? undefined,
      region: r.region ?? undefined,
      country: r.country ?? undefined,
      postcode: r.postcode ?? undefined,
    }),
    locatable: r.lat !== null && r.lon !== null,
    url: r.url ?? undefined,
    timezone: r.timezone,
    processes: r.processes,
    distanceKm: r.distanceKm === null ? undefined : Math.round(r.distanceKm * 100) / 100,
  });
}

type Cursor = { d: number; i: string } | { n: string; i: string };

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeCursor(raw: string, near: boolean): ListFilter['after'] {
  const invalid = () => badRequest('cursor is not one this list gave (or the query changed)', [{ field: 'cursor', message: 'invalid cursor' }]);
  let c: Partial<{ d: unknown; n: unknown; i: unknown }>;
  try {
    c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!c || typeof c.i !== 'string' || !UUID.test(c.i)) throw invalid();
  if (near && typeof c.d === 'number' && Number.isFinite(c.d)) return { distance: c.d, id: c.i };
  if (!near && typeof c.n === 'string') return { name: c.n, id: c.i };
  throw invalid();
}
