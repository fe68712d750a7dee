/**
 * A tiny synchronous store around a pure reducer. Key handlers read `getState()` at the moment a
 * key arrives, so two keys delivered in one batch never act on a stale render (no double submits).
 * React reads it through `useSyncExternalStore`.
 */
export interface UiStore<S, A> {
  getState(): S;
  dispatch(action: A): void;
  subscribe(listener: () => void): () => void;
}

export function createUiStore<S, A>(reducer: (state: S, action: A) => S, initial: S): UiStore<S, A> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(action) {
      const next = reducer(state, action);
      if (next === state) return;
      state = next;
      for (const l of [...listeners]) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
