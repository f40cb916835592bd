import { lookupKey, wikipediaTitle } from './lookup-key.js';

/**
 * A material a step consumes and a fab unit stocks. Flat on purpose: stock of "aluminium
 * 6061" is not stock of any aluminium a design might ask for, so there is no hierarchy to
 * silently substitute one for another.
 */
export interface MaterialDef {
  id: string;
  name: string;
  aliases: string[];
  /** Canonical unit id (see units.ts) in which stock and consumption are usually counted. */
  defaultUnit: string;
  kind?: string;
}

export const MATERIALS: readonly MaterialDef[] = [
  // Thermoplastics: filament and powder are weighed.
  { id: 'pla', name: 'PLA', aliases: ['polylactic acid', 'polylactide', 'PLA filament', 'PLA+'], defaultUnit: 'g', kind: 'thermoplastic' },
  { id: 'petg', name: 'PETG', aliases: ['PET-G', 'PET G', 'polyethylene terephthalate glycol', 'PETG filament'], defaultUnit: 'g', kind: 'thermoplastic' },
  { id: 'abs', name: 'ABS', aliases: ['acrylonitrile butadiene styrene', 'ABS filament'], defaultUnit: 'g', kind: 'thermoplastic' },
  { id: 'asa', name: 'ASA', aliases: ['acrylonitrile styrene acrylate', 'ASA filament'], defaultUnit: 'g', kind: 'thermoplastic' },
  { id: 'tpu', name: 'TPU', aliases: ['thermoplastic polyurethane', 'TPU filament', 'flexible filament', 'TPU 95A'], defaultUnit: 'g', kind: 'thermoplastic' },
  // PA12 is the usual SLS/MJF powder, PA6 the usual filament; shops stock them as "nylon".
  { id: 'nylon', name: 'Nylon (polyamide)', aliases: ['PA', 'PA12', 'PA 12', 'PA6', 'PA 6', 'polyamide', 'polyamide 12', 'nylon 12', 'nylon 6'], defaultUnit: 'g', kind: 'thermoplastic' },
  { id: 'polycarbonate', name: 'Polycarbonate', aliases: ['PC', 'polycarbonate sheet', 'Lexan', 'Makrolon'], defaultUnit: 'g', kind: 'thermoplastic' },
  { id: 'hdpe', name: 'HDPE', aliases: ['high density polyethylene', 'PE-HD', 'PEHD', 'polyethylene'], defaultUnit: 'g', kind: 'thermoplastic' },
  { id: 'polypropylene', name: 'Polypropylene', aliases: ['PP'], defaultUnit: 'g', kind: 'thermoplastic' },
  { id: 'resin', name: 'Photopolymer resin', aliases: ['photopolymer resin', 'photopolymer', 'UV resin', 'SLA resin', 'standard resin', 'resins'], defaultUnit: 'ml', kind: 'photopolymer' },

  // Sheet stock for laser, router and waterjet: counted by area.
  { id: 'acrylic', name: 'Acrylic (PMMA)', aliases: ['PMMA', 'acrylic glass', 'acrylic sheet', 'plexiglass', 'plexiglas', 'perspex', 'polymethyl methacrylate'], defaultUnit: 'm2', kind: 'thermoplastic' },
  { id: 'plywood', name: 'Plywood', aliases: ['ply', 'birch plywood', 'poplar plywood', 'plywood sheet'], defaultUnit: 'm2', kind: 'wood' },
  { id: 'mdf', name: 'MDF', aliases: ['medium density fibreboard', 'medium density fiberboard', 'MDF board'], defaultUnit: 'm2', kind: 'wood' },
  { id: 'wood', name: 'Solid wood', aliases: ['timber', 'lumber', 'hardwood', 'softwood', 'solid wood'], defaultUnit: 'kg', kind: 'wood' },
  { id: 'cardboard', name: 'Cardboard', aliases: ['corrugated cardboard', 'paperboard'], defaultUnit: 'm2', kind: 'paper' },
  { id: 'vinyl', name: 'Vinyl film', aliases: ['adhesive vinyl', 'vinyl film', 'vinyl foil', 'PVC film'], defaultUnit: 'm2', kind: 'film' },

  // Metals: weighed.
  { id: 'aluminium', name: 'Aluminium', aliases: ['aluminum', 'Al', 'aluminium alloy', 'aluminum alloy'], defaultUnit: 'kg', kind: 'metal' },
  {
    id: 'aluminium-6061',
    name: 'Aluminium 6061',
    aliases: ['aluminum 6061', 'Al 6061', 'AL6061', '6061', '6061-T6', 'aluminium 6061-T6', 'aluminum 6061-T6', 'AlMg1SiCu', 'EN AW-6061', 'EN AW-AlMg1SiCu', 'AW-6061'],
    defaultUnit: 'kg',
    kind: 'metal',
  },
  { id: 'steel', name: 'Steel', aliases: ['mild steel', 'carbon steel', 'structural steel', 'S235', 'S235JR', 'low carbon steel'], defaultUnit: 'kg', kind: 'metal' },
  { id: 'stainless-steel', name: 'Stainless steel', aliases: ['stainless', 'inox', 'AISI 304', 'AISI 316', '1.4301', '1.4404', 'SS304', 'SS316', 'V2A', 'V4A'], defaultUnit: 'kg', kind: 'metal' },
  { id: 'brass', name: 'Brass', aliases: ['CuZn', 'CuZn39Pb3', 'CW614N'], defaultUnit: 'kg', kind: 'metal' },
  { id: 'copper', name: 'Copper', aliases: ['Cu'], defaultUnit: 'kg', kind: 'metal' },

  // Electronics.
  { id: 'fr4', name: 'FR4', aliases: ['FR-4', 'FR 4', 'FR4 laminate', 'glass epoxy laminate'], defaultUnit: 'cm2', kind: 'composite' },
  { id: 'solder', name: 'Solder', aliases: ['solder wire', 'lead free solder', 'tin solder', 'SAC305', 'solder paste'], defaultUnit: 'g', kind: 'metal' },
  { id: 'electronic-components', name: 'Electronic components', aliases: ['components', 'electronic parts', 'SMD components', 'THT components', 'connectors'], defaultUnit: 'pcs', kind: 'component' },
  { id: 'wire', name: 'Wire / cable', aliases: ['cable', 'cables', 'wires', 'jumper wire', 'hookup wire'], defaultUnit: 'm', kind: 'component' },

  // Textiles: counted by area.
  { id: 'fabric', name: 'Fabric', aliases: ['textile', 'textiles', 'cloth', 'woven fabric'], defaultUnit: 'm2', kind: 'textile' },
  { id: 'cotton', name: 'Cotton fabric', aliases: ['cotton fabric', 'cotton cloth', 'cotton textile'], defaultUnit: 'm2', kind: 'textile' },

  // Consumables used in assembly.
  { id: 'fasteners', name: 'Fasteners', aliases: ['fastener', 'screws', 'bolts', 'nuts', 'screws and nuts'], defaultUnit: 'pcs', kind: 'component' },
  { id: 'adhesive', name: 'Adhesive', aliases: ['adhesives', 'glue'], defaultUnit: 'ml', kind: 'consumable' },
  { id: 'silicone', name: 'Silicone', aliases: ['silicone rubber', 'RTV silicone'], defaultUnit: 'g', kind: 'elastomer' },
];

const BY_ID = new Map(MATERIALS.map((m) => [m.id, m]));

const BY_KEY = (() => {
  const index = new Map<string, string>();
  for (const m of MATERIALS) {
    for (const name of [m.id, m.name, ...m.aliases]) {
      const key = lookupKey(name);
      const taken = index.get(key);
      if (taken && taken !== m.id) throw new Error(`taxonomy: "${name}" names both ${taken} and ${m.id}`);
      index.set(key, m.id);
    }
  }
  return index;
})();

export function getMaterial(id: string): MaterialDef | undefined {
  return BY_ID.get(id);
}

/** Canonical material id for an id, name, alias or Wikipedia URL; `undefined` when unknown. */
export function canonicalMaterial(input: string): string | undefined {
  if (typeof input !== 'string') return undefined;
  const raw = input.trim();
  if (!raw) return undefined;
  if (BY_ID.has(raw)) return raw;
  return BY_KEY.get(lookupKey(wikipediaTitle(raw) ?? raw));
}
