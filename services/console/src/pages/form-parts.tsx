/** A table's header row, one column header per name, for screen readers' column navigation. */
export function TableHead(props: { columns: readonly string[] }) {
  return (
    <thead>
      <tr>
        {props.columns.map((column) => (
          <th scope="col" key={column}>
            {column}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** An access token field: never autocompleted, never shown as typed. */
export function TokenInput(props: { id: string; value: string; onValue: (value: string) => void }) {
  return (
    <input
      id={props.id}
      type="password"
      autocomplete="off"
      required
      value={props.value}
      onInput={(e) => props.onValue(e.currentTarget.value)}
    />
  );
}
