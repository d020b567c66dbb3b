/**
 * Time as the vault keeps it, in whole epoch seconds, and the ISO 8601 durations rotation policies use
 * ("P90D", "P18M", "P1Y2M", "PT12H").
 * @internal
 */

/** Current time in whole epoch seconds. @internal */
export function nowInSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** A parsed duration. @internal */
export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const durationPattern = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Parses a duration, or returns undefined when the text is not one. @internal */
export function parseDuration(text: string): Duration | undefined {
  const match = durationPattern.exec(text);
  if (!match || text === "P" || text.endsWith("T")) return undefined;
  const part = (index: number): number => Number(match[index] ?? 0);
  return {
    years: part(1),
    months: part(2),
    weeks: part(3),
    days: part(4),
    hours: part(5),
    minutes: part(6),
    seconds: part(7),
  };
}

/** Adds a duration to an epoch-seconds time, calendar-aware for years and months. @internal */
export function addDuration(epochSeconds: number, duration: Duration): number {
  const date = new Date(epochSeconds * 1000);
  date.setUTCFullYear(date.getUTCFullYear() + duration.years, date.getUTCMonth() + duration.months);
  const extraSeconds =
    ((duration.weeks * 7 + duration.days) * 24 + duration.hours) * 3600 + duration.minutes * 60 + duration.seconds;
  return Math.floor(date.getTime() / 1000) + extraSeconds;
}

/** Approximate length in days (months as 30 days), for minimum checks. @internal */
export function approximateDays(duration: Duration): number {
  return (
    duration.years * 365 +
    duration.months * 30 +
    duration.weeks * 7 +
    duration.days +
    (duration.hours + (duration.minutes + duration.seconds / 60) / 60) / 24
  );
}
