/**
 * Where a funded request's reservations may go. A direct request: from now until its needBy.
 * A request a council funded: only inside the round's period as well, because the round's
 * budget was the pool's free time in that period; a reservation outside it would take time no
 * round counted (next period's, or time another round is budgeting). A window with no room
 * left (the period is over, or ends before it starts for this request) is a refusal with a
 * reason, not a reservation somewhere else.
 */
export type PlacementWindow = { ok: true; notBefore: string; deadline: string } | { ok: false; reason: string };

export function placementWindow(now: Date, needBy: Date | string, period?: { from: string; to: string } | null): PlacementWindow {
  const need = new Date(needBy);
  let from = now.getTime();
  let to = need.getTime();
  if (period) {
    const start = Date.parse(period.from);
    const end = Date.parse(period.to);
    if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) {
      return { ok: false, reason: `the round's period ${JSON.stringify(period)} is not a time span` };
    }
    from = Math.max(from, start);
    to = Math.min(to, end);
    if (to <= from) {
      const iso = (ms: number) => new Date(ms).toISOString();
      const why =
        end <= now.getTime()
          ? `it ended before the reservations were placed (${iso(now.getTime())})`
          : need.getTime() <= start
            ? `the request is needed by ${need.toISOString()}, before it starts`
            : `the request was needed by ${need.toISOString()}`;
      return { ok: false, reason: `the round allocated machine time from ${iso(start)} to ${iso(end)}, and ${why}` };
    }
  }
  if (to <= from) return { ok: false, reason: `the request was needed by ${need.toISOString()}` };
  return { ok: true, notBefore: new Date(from).toISOString(), deadline: new Date(to).toISOString() };
}
