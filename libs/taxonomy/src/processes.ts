import { lookupKey, wikidataId, wikipediaTitle } from './lookup-key.js';

/**
 * A manufacturing process a machine offers and a design step requires.
 *
 * The hierarchy reads "is a kind of, with at least the capabilities of": a child can do what
 * its parent stands for, so a machine of a child process meets a requirement for the parent
 * (an FDM printer meets "3D printing"), never the other way round.
 */
export interface ProcessDef {
  id: string;
  name: string;
  parent?: string;
  aliases: string[];
  /** OKH-LOSH / DIN SPEC 3105 TsDC code, only where the code names exactly this process. */
  tsdc?: string;
  /** Wikidata item, only where verified against a real source (see the notes per entry). */
  wikidata?: string;
}

export const PROCESSES: readonly ProcessDef[] = [
  // Q229367: used for 3D printing in OKW / Maps of Making data and several public ontologies.
  {
    id: '3d-printing',
    name: '3D printing',
    aliases: ['3D print', '3D printer', '3D printed', 'additive manufacturing', 'additive'],
    tsdc: '3DP',
    wikidata: 'Q229367',
  },
  {
    id: '3d-printing.fdm',
    name: 'FDM 3D printing',
    parent: '3d-printing',
    aliases: [
      'FDM',
      'FFF',
      'fused deposition modeling',
      'fused deposition modelling',
      'fused filament fabrication',
      'FDM printing',
      'FDM printer',
      'FFF printer',
      'filament printing',
      'filament 3D printing',
    ],
  },
  {
    // DLP and MSLA cure the same photopolymer resins at similar resolution, so for matching
    // they count as one capability (vat photopolymerisation).
    id: '3d-printing.sla',
    name: 'SLA 3D printing (vat photopolymerisation)',
    parent: '3d-printing',
    aliases: [
      'SLA',
      'stereolithography',
      'SLA printing',
      'SLA printer',
      'resin printing',
      'resin printer',
      'resin 3D printing',
      'MSLA',
      'DLP',
      'DLP printing',
      'digital light processing',
      'vat photopolymerization',
      'vat photopolymerisation',
    ],
  },
  {
    // Q428412 per the AMMO ontology alignment notes (usnistgov/AMMO).
    id: '3d-printing.sls',
    name: 'SLS 3D printing',
    parent: '3d-printing',
    aliases: ['SLS', 'selective laser sintering', 'SLS printing', 'SLS printer'],
    wikidata: 'Q428412',
  },
  {
    id: '3d-printing.mjf',
    name: 'Multi Jet Fusion',
    parent: '3d-printing',
    aliases: ['MJF', 'multi jet fusion', 'multijet fusion', 'HP multi jet fusion', 'MJF printing'],
  },
  {
    // Shops and OKH-LOSH's printing-process use DMLS and SLM interchangeably for laser
    // powder-bed fusion of metal.
    id: '3d-printing.dmls',
    name: 'Metal laser powder-bed fusion (DMLS/SLM)',
    parent: '3d-printing',
    aliases: [
      'DMLS',
      'direct metal laser sintering',
      'SLM',
      'selective laser melting',
      'LPBF',
      'L-PBF',
      'laser powder bed fusion',
      'metal 3D printing',
    ],
  },

  // A laser cutter engraves as well; an engraver cannot cut through. Hence cutting is the
  // child: a cutter meets an engraving requirement, an engraver does not meet a cutting one.
  {
    id: 'laser-engraving',
    name: 'Laser engraving',
    aliases: ['laser engraver', 'laser engrave', 'laser etching', 'laser marking'],
  },
  {
    // Q3062349: laser cutting in the Maps of Making ontology and OHM's process taxonomy.
    id: 'laser-cutting',
    name: 'Laser cutting',
    parent: 'laser-engraving',
    aliases: [
      'laser cutter',
      'laser cut',
      'laser',
      'laser cutting machine',
      'CO2 laser',
      'CO2 laser cutter',
      'laser cutter engraver',
    ],
    tsdc: 'LAS',
    wikidata: 'Q3062349',
  },

  // TsDC "CNC" covers CNC machining in general (milling, turning, routing), so it maps to the
  // parent; a design tagged only "CNC" is met by any of the three.
  {
    id: 'cnc-machining',
    name: 'CNC machining',
    aliases: ['CNC', 'CNC machine', 'computer numerical control', 'machining', 'subtractive manufacturing'],
    tsdc: 'CNC',
  },
  {
    id: 'cnc-milling',
    name: 'CNC milling',
    parent: 'cnc-machining',
    aliases: ['CNC mill', 'milling', 'milling machine', 'CNC milling machine', 'mill', 'machining center'],
  },
  {
    id: 'cnc-turning',
    name: 'CNC turning',
    parent: 'cnc-machining',
    aliases: ['CNC lathe', 'turning', 'lathe', 'lathe turning'],
  },
  {
    id: 'cnc-routing',
    name: 'CNC routing',
    parent: 'cnc-machining',
    aliases: ['CNC router', 'router', 'routing', 'Shopbot', 'wood router'],
  },

  {
    id: 'pcb-fabrication',
    name: 'PCB fabrication',
    aliases: [
      'PCB',
      'printed circuit board',
      'printed circuit boards',
      'PCB manufacturing',
      'PCB production',
      'PCB fab',
      'circuit board',
    ],
    tsdc: 'PCB',
  },
  {
    id: 'pcb-assembly',
    name: 'PCB assembly',
    aliases: ['PCBA', 'PCB assembly', 'SMT assembly', 'SMD assembly', 'pick and place', 'reflow soldering'],
  },
  {
    // Q211387: soldering in Helpful Engineering's OKW sample (RobsArduinoShop).
    id: 'soldering',
    name: 'Soldering',
    aliases: [
      'solder',
      'hand soldering',
      'soldering station',
      'through hole soldering',
      'electronics soldering',
      'soldering iron',
    ],
    wikidata: 'Q211387',
  },
  {
    id: 'welding',
    name: 'Welding',
    aliases: ['weld', 'welder', 'welding machine'],
    tsdc: 'WEL',
  },
  {
    id: 'welding.mig',
    name: 'MIG/MAG welding',
    parent: 'welding',
    aliases: ['MIG', 'MAG', 'MIG welding', 'MAG welding', 'GMAW', 'gas metal arc welding', 'MIG welder'],
  },
  {
    id: 'welding.tig',
    name: 'TIG welding',
    parent: 'welding',
    aliases: ['TIG', 'TIG welding', 'GTAW', 'gas tungsten arc welding', 'TIG welder'],
  },
  {
    // Q652122: "sewing" per the note in Helpful Engineering's OKW sample (RobsArduinoShop).
    id: 'sewing',
    name: 'Sewing',
    aliases: ['sew', 'sewing machine', 'stitching', 'textile sewing'],
    wikidata: 'Q652122',
  },
  {
    id: 'assembly',
    name: 'Assembly',
    aliases: [
      'assembling',
      'assemble',
      'mechanical assembly',
      'assembly line',
      'assembly station',
      'manual assembly',
    ],
    tsdc: 'ASM',
  },
  {
    id: 'waterjet-cutting',
    name: 'Waterjet cutting',
    aliases: ['waterjet', 'water jet', 'water jet cutting', 'waterjet cutter', 'abrasive waterjet'],
  },
  {
    id: 'plasma-cutting',
    name: 'Plasma cutting',
    aliases: ['plasma cutter', 'plasma cut', 'CNC plasma', 'CNC plasma cutting'],
  },
  {
    id: 'vinyl-cutting',
    name: 'Vinyl cutting',
    aliases: ['vinyl cutter', 'vinyl cut', 'cutting plotter', 'plotter cutting', 'plotter cutter', 'craft cutter'],
  },
  {
    id: 'injection-moulding',
    name: 'Injection moulding',
    aliases: ['injection molding', 'injection moulding machine', 'injection molding machine', 'plastic injection molding'],
  },
  {
    id: 'casting',
    name: 'Casting',
    aliases: ['cast', 'metal casting', 'mould casting', 'mold casting', 'foundry'],
  },
  {
    id: 'sheet-metal-bending',
    name: 'Sheet metal bending',
    aliases: ['press brake', 'sheet metal bending', 'metal bending', 'bending', 'folding', 'sheet metal folding'],
  },
];

const BY_ID = new Map(PROCESSES.map((p) => [p.id, p]));

function buildIndex(): {
  byKey: Map<string, string>;
  byTsdc: Map<string, string>;
  byWikidata: Map<string, string>;
} {
  const byKey = new Map<string, string>();
  const byTsdc = new Map<string, string>();
  const byWikidata = new Map<string, string>();
  for (const p of PROCESSES) {
    for (const name of [p.id, p.name, ...p.aliases]) {
      const key = lookupKey(name);
      const taken = byKey.get(key);
      // A key claimed by two processes would make lookups depend on table order.
      if (taken && taken !== p.id) throw new Error(`taxonomy: "${name}" names both ${taken} and ${p.id}`);
      byKey.set(key, p.id);
    }
    if (p.tsdc) byTsdc.set(p.tsdc.toUpperCase(), p.id);
    if (p.wikidata) byWikidata.set(p.wikidata.toUpperCase(), p.id);
  }
  return { byKey, byTsdc, byWikidata };
}

const INDEX = buildIndex();

export function getProcess(id: string): ProcessDef | undefined {
  return BY_ID.get(id);
}

/**
 * Canonical process id for an id, alias, TsDC code, Wikidata id/URL or Wikipedia URL;
 * `undefined` when it names no process we know (or names a TsDC code such as MEC, CIR or STD
 * that covers no single process).
 */
export function canonicalProcess(input: string): string | undefined {
  if (typeof input !== 'string') return undefined;
  const raw = input.trim();
  if (!raw) return undefined;
  if (BY_ID.has(raw)) return raw;
  const tsdc = INDEX.byTsdc.get(raw.toUpperCase());
  if (tsdc) return tsdc;
  const qid = wikidataId(raw);
  if (qid) return INDEX.byWikidata.get(qid);
  const title = wikipediaTitle(raw);
  return INDEX.byKey.get(lookupKey(title ?? raw));
}

/** The process and all of its ancestors, nearest first. */
export function processAncestors(id: string): string[] {
  const out: string[] = [];
  let current = BY_ID.get(canonicalProcess(id) ?? '');
  while (current && !out.includes(current.id)) {
    out.push(current.id);
    current = current.parent ? BY_ID.get(current.parent) : undefined;
  }
  return out;
}

/** The process and every process below it, in table order; [] when unknown. */
export function processWithDescendants(id: string): string[] {
  const root = canonicalProcess(id);
  if (!root) return [];
  return PROCESSES.filter((p) => processAncestors(p.id).includes(root)).map((p) => p.id);
}

/**
 * Whether a machine offering `offered` meets a requirement for `required`: the same process
 * or a descendant. Names we do not know only match themselves (same lookup key), so an odd
 * process two parties spell alike still matches, and nothing else does.
 */
export function processSatisfies(offered: string, required: string): boolean {
  const o = canonicalProcess(offered);
  const r = canonicalProcess(required);
  if (!o || !r) {
    return !o && !r && lookupKey(offered) !== '' && lookupKey(offered) === lookupKey(required);
  }
  return processAncestors(o).includes(r);
}
