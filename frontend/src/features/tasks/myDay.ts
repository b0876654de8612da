/** "My day": open tasks split into overdue (due before today) and today, in a given time zone. */
import type { Task } from '../../api/types';

export interface MyDayGroups {
  overdue: Task[];
  today: Task[];
  /** Anything else the server sent (undated or later), kept rather than hidden. */
  later: Task[];
}

/** The calendar day (YYYY-MM-DD) of an instant in `timeZone`. */
export function dayIn(instant: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
      instant,
    );
  } catch {
    return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
  }
}

/** Groups open tasks by their due day against today, oldest first within each group. */
export function groupMyDay(tasks: readonly Task[], now: Date, timeZone: string): MyDayGroups {
  const today = dayIn(now, timeZone);
  const groups: MyDayGroups = { overdue: [], today: [], later: [] };
  const byDue = [...tasks]
    .filter((task) => task.done_at === null)
    .sort((a, b) => (a.due_at ?? '\uffff').localeCompare(b.due_at ?? '\uffff'));
  for (const task of byDue) {
    if (!task.due_at) {
      groups.later.push(task);
      continue;
    }
    const day = dayIn(new Date(task.due_at), timeZone);
    if (day < today) groups.overdue.push(task);
    else if (day === today) groups.today.push(task);
    else groups.later.push(task);
  }
  return groups;
}
