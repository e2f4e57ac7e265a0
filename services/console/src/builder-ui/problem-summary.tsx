import type { DraftCanvas } from '../builder/draft.js';
import { problemHome, type ShownProblem } from '../builder/problem-home.js';
import { fieldWord, plainMessage } from '../builder/problem-words.js';

/** Where a field is, in words: "Step “Wait” › duration". */
export function placeName(home: string, draft: DraftCanvas): string {
  const parts = home.split('/').slice(1);
  if (parts.length === 0) return 'Canvas';
  if (parts[0] === 'steps' && parts[1] !== undefined) {
    const step = Array.isArray(draft.steps) ? draft.steps[Number(parts[1])] : undefined;
    const name = step
      ? typeof step.name === 'string' && step.name
        ? step.name
        : step.id
      : `step ${Number(parts[1]) + 1}`;
    const field = parts.length > 2 ? fieldWord(home) : undefined;
    return [`Step “${name}”`, ...(parts.length > 2 ? [field ?? parts.slice(2).join(' › ')] : [])].join(' › ');
  }
  const first: Record<string, string> = {
    entry: 'Entry',
    exitCriteria: 'Exit events',
    conversionGoal: 'Conversion goal',
    firstStep: 'First step',
    name: 'Canvas name',
    description: 'Description',
    steps: 'Steps',
  };
  const field = parts.length > 1 ? fieldWord(home) : undefined;
  return [first[parts[0] ?? ''] ?? parts[0], ...(parts.length > 1 ? [field ?? parts.slice(1).join(' › ')] : [])].join(
    ' › ',
  );
}

/** Every problem in one list, each a button that takes the focus to its field. */
export function ProblemSummary(props: { problems: ShownProblem[]; draft: DraftCanvas; onShow?: () => void }) {
  if (props.problems.length === 0) return null;
  const show = (home: string) => {
    props.onShow?.();
    setTimeout(() => {
      const field =
        document.querySelector(`[data-field~="${CSS.escape(home)}"]`) ?? document.querySelector('[data-field=""]');
      const control =
        field?.querySelector<HTMLElement>('input, select, textarea, button') ?? (field as HTMLElement | null);
      field?.scrollIntoView({ block: 'center' });
      control?.focus();
    }, 0);
  };
  return (
    <div class="problem-summary" data-testid="canvas-problems">
      <h2>
        {props.problems.length} {props.problems.length === 1 ? 'problem' : 'problems'} to fix before saving
      </h2>
      <ul>
        {props.problems.map((p) => {
          const home = problemHome(p.path);
          return (
            <li key={`${p.code}-${p.path}`}>
              <button type="button" class="link" onClick={() => show(home)}>
                {placeName(home, props.draft)}: {plainMessage(p)}
              </button>{' '}
              <code>{p.path.replace(/^\/body/, '') || '/'}</code>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
