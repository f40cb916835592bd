/**
 * Epoch milliseconds → `YYYY-MM-DDTHH:mm:ss.sssZ`, exactly as Date#toISOString writes it but
 * without allocating a Date: a match over thousands of units writes hundreds of thousands of
 * slot times, and the native call was the largest single cost. Days → civil date is Howard
 * Hinnant's days_from_civil inverse (proleptic Gregorian, valid for any year).
 */
// A module binding, not a global lookup per call (which is slow inside Jest's vm context).
const { floor } = Math;
const MS_PER_DAY = 86_400_000;
/** 0000-01-01 … 9999-12-31: the range toISOString writes with four-digit years. */
const MIN = -62_167_219_200_000;
const MAX = 253_402_300_799_999;

function two(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

export function isoUtc(ms: number): string {
  if (!(ms >= MIN && ms <= MAX) || floor(ms) !== ms) return new Date(ms).toISOString();
  const days = floor(ms / MS_PER_DAY);
  let rem = ms - days * MS_PER_DAY;
  const z = days + 719_468;
  const era = floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = floor((doe - floor(doe / 1460) + floor(doe / 36_524) - floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100));
  const mp = floor((5 * doy + 2) / 153);
  const day = doy - floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const h = floor(rem / 3_600_000);
  rem -= h * 3_600_000;
  const mi = floor(rem / 60_000);
  rem -= mi * 60_000;
  const s = floor(rem / 1000);
  const milli = rem - s * 1000;
  return `${year < 1000 ? `000${year}`.slice(-4) : year}-${two(month)}-${two(day)}T${two(h)}:${two(mi)}:${two(s)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}
