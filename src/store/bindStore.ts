/**
 * A React binding for a zustand store that lets React time-slice the renders of background
 * updates. zustand's own hook goes through `useSyncExternalStore`, and React renders every update
 * of an external store synchronously, in one task, whatever its size: at 1,000 checkpoints one
 * render of the page took 300-500 ms (issue 15). Here each view keeps the store state it renders in
 * React state; an update marked with {@link asBackground} is given to React inside
 * `startTransition` (interruptible, rendered in slices), any other update at once.
 *
 * Every view reads one snapshot: all subscribers are told of a change in the same synchronous
 * notification, so the views rendered by one transition show the same state.
 */
import { startTransition, useEffect, useRef, useState } from 'react';
import type { StoreApi } from 'zustand';
import { isBackground } from './backgroundUpdates';

/** The hook made by {@link bindStore}, with the store's own `getState`/`setState`/`subscribe`. */
export type BoundStore<S> = (<T>(selector: (s: S) => T) => T) & StoreApi<S>;

/**
 * Bind `api` to React. The hook returns `selector(state)`; the view renders again only when that
 * value changes (`Object.is`), like zustand's hook. `selector` must be pure.
 */
export function bindStore<S>(api: StoreApi<S>): BoundStore<S> {
  function useSlice<T>(selector: (s: S) => T): T {
    const [state, setState] = useState(api.getState);
    // the selector and state of the last render, read by the subscription to skip unchanged slices
    const last = useRef({ selector, state });
    useEffect(() => {
      last.current = { selector, state };
    });
    useEffect(() => {
      const onChange = (next: S): void => {
        const { selector: select, state: shown } = last.current;
        if (next === shown || Object.is(select(next), select(shown))) return;
        last.current = { selector: select, state: next };
        if (isBackground()) startTransition(() => setState(next));
        else setState(next);
      };
      const unsubscribe = api.subscribe(onChange);
      // a change between this view's render and this effect
      onChange(api.getState());
      return unsubscribe;
    }, []);
    return selector(state);
  }
  return Object.assign(useSlice, api);
}
