import { useState } from 'preact/hooks';
import { api, describeError, session } from '../api.js';

/** Sign in with an API key of the workspace; it stays in this tab's session storage only. */
export function SignIn(props: { onSignedIn: () => void }) {
  const [key, setKey] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      await api('GET', '/v1/workspace', undefined, key.trim());
      session.signIn(key.trim());
      props.onSignedIn();
    } catch (error) {
      setErrors(describeError(error));
    }
  };
  return (
    <main class="sign-in">
      <h1>Canvas console</h1>
      <form onSubmit={(e) => void submit(e)}>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autocomplete="off"
          required
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
        />
        <button type="submit">Sign in</button>
      </form>
      <Errors messages={errors} />
    </main>
  );
}

export function Errors(props: { messages: string[] }) {
  if (props.messages.length === 0) return null;
  return (
    <ul class="errors" role="alert">
      {props.messages.map((m, i) => (
        <li key={i}>{m}</li>
      ))}
    </ul>
  );
}
