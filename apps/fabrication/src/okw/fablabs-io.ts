/**
 * Records harvested from fablabs.io by the Internet of Production Alliance
 * (okw_data_management, data/okw/fablabs-io-2237.json): one object per lab with
 * `facility` (name, url, description = "fablab"), `region` (ISO country code, state, city),
 * `address` (street line, zip) and `geocoding` (lat/lon, null for about 200 labs).
 * No status, access type or equipment.
 */
import type { FabUnitDraft, FabUnitLocation } from '#libs/contracts/src/fabrication/fab-unit.js';
import { FAB_UNIT_KINDS } from '#libs/contracts/src/fabrication/fab-unit.js';
import { isGeoPoint } from '../geo/haversine.js';
import { countryCode } from './country-codes.js';
import type { ImportLog } from './import-log.js';
import { compact, isObject, num, str, type Json } from './values.js';

export const FABLABS_IO_SYSTEM = 'fablabs.io';

export function isFablabsIoRecord(r: unknown): r is Json {
  return isObject(r) && isObject(r.facility) && ('region' in r || 'geocoding' in r);
}

export function fromFablabsIo(r: Json, log: ImportLog, label: string): FabUnitDraft | undefined {
  const facility = r.facility as Json;
  const region = isObject(r.region) ? r.region : {};
  const address = isObject(r.address) ? r.address : {};
  const geo = isObject(r.geocoding) ? r.geocoding : {};
  const name = str(facility.name);
  if (!name) {
    log.note('no facility name: skipped', label);
    return undefined;
  }
  const rawCountry = str(region.country);
  const country = countryCode(rawCountry);
  if (rawCountry && !country) log.note(`country "${rawCountry}" not recognised: left out`, name);
  const lat = num(geo.latitude);
  const lon = num(geo.longitude);
  const point = { lat, lon };
  const location: FabUnitLocation = compact({
    ...(isGeoPoint(point) ? { lat: point.lat, lon: point.lon } : {}),
    address: str(address.extended),
    city: str(region.city_town),
    region: str(region.state_region),
    country,
    postcode: str(address.zip_code),
  });
  if (!isGeoPoint(point)) {
    log.note(lat === undefined && lon === undefined ? 'no coordinates: kept, not locatable' : 'coordinates out of range: kept, not locatable', name);
  }
  // The harvest writes the registry's kind ("fablab") into `description`.
  const described = str(facility.description);
  const kind = (FAB_UNIT_KINDS as readonly string[]).includes(described?.toLowerCase() ?? '') ? described!.toLowerCase() : undefined;
  log.note('no facility status: assumed Active', name);
  return compact({
    name,
    kind: (kind ?? 'fablab') as FabUnitDraft['kind'],
    status: 'Active' as const,
    location,
    locatable: isGeoPoint(point),
    url: str(facility.url),
    contact: {},
    description: kind ? undefined : described,
    source: compact({ system: FABLABS_IO_SYSTEM, id: str(facility.facility_id) }),
  });
}
