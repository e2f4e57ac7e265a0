import type { ComponentChildren } from 'preact';

/** Tabs as WAI-ARIA describes them: arrow keys move between tabs, one panel shows. */
export function Tabs(props: {
  label: string;
  tabs: readonly (readonly [string, string])[];
  current: string;
  onChoose: (tab: string) => void;
  children: ComponentChildren;
}) {
  const index = props.tabs.findIndex(([key]) => key === props.current);
  const move = (delta: number) => {
    const next = props.tabs[(index + delta + props.tabs.length) % props.tabs.length];
    if (!next) return;
    props.onChoose(next[0]);
    setTimeout(() => document.getElementById(`tab-${next[0]}`)?.focus(), 0);
  };
  return (
    <>
      <div role="tablist" aria-label={props.label} class="tabs">
        {props.tabs.map(([key, label]) => (
          <button
            key={key}
            type="button"
            role="tab"
            id={`tab-${key}`}
            aria-selected={key === props.current}
            aria-controls={`panel-${key}`}
            tabIndex={key === props.current ? 0 : -1}
            onClick={() => props.onChoose(key)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowRight') move(1);
              if (e.key === 'ArrowLeft') move(-1);
            }}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${props.current}`} aria-labelledby={`tab-${props.current}`} class="tab-panel">
        {props.children}
      </div>
    </>
  );
}
