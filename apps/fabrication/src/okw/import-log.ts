/**
 * Import warnings, grouped. A 2,237-record registry where 201 records lack coordinates
 * should say so once, with examples, not 201 times; a problem seen once names its record.
 */

const EXAMPLES = 3;

export class ImportLog {
  private readonly groups = new Map<string, string[]>();

  /** `problem` reads on its own ("no coordinates: kept, not locatable"); `subject` names the record. */
  note(problem: string, subject: string): void {
    const list = this.groups.get(problem);
    if (list) list.push(subject);
    else this.groups.set(problem, [subject]);
  }

  count(problem: string): number {
    return this.groups.get(problem)?.length ?? 0;
  }

  /** One line per problem, in the order problems were first seen. */
  lines(): string[] {
    const out: string[] = [];
    for (const [problem, subjects] of this.groups) {
      if (subjects.length === 1) {
        out.push(`${subjects[0]}: ${problem}`);
        continue;
      }
      const shown = subjects.slice(0, EXAMPLES).join(', ');
      const more = subjects.length > EXAMPLES ? `, … and ${(subjects.length - EXAMPLES).toLocaleString('en-US')} more` : '';
      out.push(`${problem}: ${subjects.length.toLocaleString('en-US')} records (${shown}${more})`);
    }
    return out;
  }
}
