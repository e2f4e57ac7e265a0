import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import { getIn, setIn, type Path } from '../builder/draft.js';
import type { ShownProblem } from '../builder/problem-home.js';

/** The document a form edits, how to change it, and its problems by the field that shows them. */
export interface DraftState {
  root: unknown;
  replace: (root: unknown) => void;
  problems: Map<string, ShownProblem[]>;
  /** Input ids start with it, so two forms on a page never share one. */
  idPrefix: string;
}

const DraftContext = createContext<DraftState>({
  root: {},
  replace: () => undefined,
  problems: new Map(),
  idPrefix: 'f',
});

export function DraftProvider(props: DraftState & { children: ComponentChildren }) {
  const { children, ...state } = props;
  return <DraftContext.Provider value={state}>{children}</DraftContext.Provider>;
}

/** A JSON Pointer for a path. */
export const pointerOf = (path: Path) =>
  path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/** The draft, a setter at a path, and the problems and input id of a field there. */
export function useDraft() {
  const state = useContext(DraftContext);
  return {
    root: state.root,
    get: (path: Path) => getIn(state.root, path),
    set: (path: Path, value: unknown) => state.replace(setIn(state.root, path, value)),
    replace: state.replace,
    problemsAt: (pointer: string) => state.problems.get(pointer) ?? [],
    /** Problems shown at this field or any field inside it. */
    problemsUnder: (pointer: string) =>
      [...state.problems.entries()]
        .filter(([home]) => home === pointer || home.startsWith(`${pointer}/`))
        .flatMap(([, problems]) => problems),
    idFor: (pointer: string) => `${state.idPrefix}${pointer.replace(/[^A-Za-z0-9]+/g, '-')}`,
  };
}
