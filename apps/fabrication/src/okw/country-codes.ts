/**
 * Country names and codes → ISO 3166-1 alpha-2. Rather than carry a 250-row table, the
 * names come from the ICU data Node ships (Intl.DisplayNames) in the languages fab-lab
 * registries are mostly written in, plus the usual informal names ICU does not give.
 * Alpha-3 codes are accepted only for the countries most data sets use them for.
 */

const LOCALES = ['en', 'fr', 'es', 'de', 'pt', 'it', 'nl'];

// Region codes ICU names that are not ISO 3166-1 countries (or are reserved exceptions).
const NOT_COUNTRIES = new Set(['AC', 'CP', 'CQ', 'DG', 'EA', 'EU', 'EZ', 'IC', 'QO', 'TA', 'UN', 'XA', 'XB', 'ZZ']);

const ALIASES: Record<string, string> = {
  usa: 'US',
  'united states of america': 'US',
  america: 'US',
  uk: 'GB',
  'great britain': 'GB',
  britain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  'south korea': 'KR',
  'korea republic of': 'KR',
  'republic of korea': 'KR',
  korea: 'KR',
  'north korea': 'KP',
  russia: 'RU',
  'russian federation': 'RU',
  'czech republic': 'CZ',
  'ivory coast': 'CI',
  holland: 'NL',
  turkey: 'TR',
  turkiye: 'TR',
  'viet nam': 'VN',
  burma: 'MM',
  swaziland: 'SZ',
  macedonia: 'MK',
  'cape verde': 'CV',
  'east timor': 'TL',
  'iran islamic republic of': 'IR',
  syria: 'SY',
  'syrian arab republic': 'SY',
  laos: 'LA',
  'lao pdr': 'LA',
  'tanzania united republic of': 'TZ',
  'bolivia plurinational state of': 'BO',
  'venezuela bolivarian republic of': 'VE',
  'moldova republic of': 'MD',
  palestine: 'PS',
  'state of palestine': 'PS',
  'hong kong': 'HK',
  macau: 'MO',
  'democratic republic of the congo': 'CD',
  'dr congo': 'CD',
  drc: 'CD',
  'republic of the congo': 'CG',
  uae: 'AE',
  // alpha-3, common ones only
  gbr: 'GB',
  deu: 'DE',
  fra: 'FR',
  esp: 'ES',
  ita: 'IT',
  nld: 'NL',
  bel: 'BE',
  che: 'CH',
  aut: 'AT',
  prt: 'PT',
  pol: 'PL',
  swe: 'SE',
  nor: 'NO',
  dnk: 'DK',
  fin: 'FI',
  irl: 'IE',
  can: 'CA',
  mex: 'MX',
  bra: 'BR',
  arg: 'AR',
  chl: 'CL',
  col: 'CO',
  per: 'PE',
  ind: 'IN',
  chn: 'CN',
  jpn: 'JP',
  kor: 'KR',
  aus: 'AU',
  nzl: 'NZ',
  zaf: 'ZA',
  nga: 'NG',
  ken: 'KE',
  egy: 'EG',
  rus: 'RU',
  ukr: 'UA',
  tur: 'TR',
  are: 'AE',
  sau: 'SA',
  isr: 'IL',
  gha: 'GH',
};

let byName: Map<string, string> | undefined;
let codes: Set<string> | undefined;

function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[’'`.,()\-_/]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^the /, '');
}

function build(): void {
  byName = new Map();
  codes = new Set();
  const names = LOCALES.map((l) => new Intl.DisplayNames([l], { type: 'region', fallback: 'none' }));
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (NOT_COUNTRIES.has(code)) continue;
      // Withdrawn codes (DD, SU, YU…) are ICU aliases of today's countries: never answer with them.
      if (Intl.getCanonicalLocales(`und-${code}`)[0] !== `und-${code}`) continue;
      const en = names[0].of(code);
      if (!en || en === code) continue;
      codes.add(code);
      for (const dn of names) {
        const name = dn.of(code);
        // First language wins on a clash, so English names are never shadowed.
        if (name && !byName.has(fold(name))) byName.set(fold(name), code);
      }
    }
  }
  for (const [alias, code] of Object.entries(ALIASES)) byName.set(fold(alias), code);
}

/** ISO 3166-1 alpha-2 for a code or a name ("de", "Germany", "Allemagne", "UK"), else undefined. */
export function countryCode(input: string | null | undefined): string | undefined {
  if (typeof input !== 'string') return undefined;
  const s = input.trim();
  if (!s) return undefined;
  if (!byName) build();
  if (/^[A-Za-z]{2}$/.test(s)) {
    const code = s.toUpperCase();
    if (code === 'UK') return 'GB';
    return codes!.has(code) ? code : undefined;
  }
  return byName!.get(fold(s));
}
