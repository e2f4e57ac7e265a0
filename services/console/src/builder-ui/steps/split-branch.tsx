import type { Path } from '../../builder/draft.js';
import { ConditionList } from '../condition-row.js';
import { pointerOf, useDraft } from '../draft-context.js';
import { FieldProblems, NumberField, TextField } from '../fields.js';

/** The head of a split's branch or path: its name, its conditions or percentage, move and remove. */
export function BranchHead(props: {
  stepPath: Path;
  list: 'branches' | 'paths';
  index: number;
  count: number;
  onMove: (delta: number) => void;
  onRemove: () => void;
}) {
  const { get } = useDraft();
  const path = [...props.stepPath, props.list, props.index];
  const at = pointerOf(path);
  const name = get([...path, 'name']);
  const label =
    typeof name === 'string' && name ? name : `${props.list === 'branches' ? 'Branch' : 'Path'} ${props.index + 1}`;
  const minimum = props.list === 'branches' ? 1 : 2;
  return (
    <div class="branch-head" data-field={at}>
      <TextField path={[...path, 'name']} label="Name" optional />
      {props.list === 'branches' ? (
        <ConditionList
          path={[...path, 'conditions']}
          subject="user"
          title="Users whose properties all hold"
          addLabel="Add a condition"
        />
      ) : (
        <NumberField path={[...path, 'percent']} label="Share of users (%)" min={0} max={100} />
      )}
      <div class="actions">
        <button
          type="button"
          onClick={() => props.onMove(-1)}
          disabled={props.index === 0}
          aria-label={`Move ${label} left`}
        >
          ← Move
        </button>
        <button
          type="button"
          onClick={() => props.onMove(1)}
          disabled={props.index === props.count - 1}
          aria-label={`Move ${label} right`}
        >
          Move →
        </button>
        <button
          type="button"
          class="danger"
          onClick={props.onRemove}
          disabled={props.count <= minimum}
          aria-label={`Remove ${label}`}
        >
          Remove
        </button>
      </div>
      <FieldProblems at={at} />
    </div>
  );
}
