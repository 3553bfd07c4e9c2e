// Wraps a function component so that it renders again only when `same` finds its props changed.
// The wrapped function renders as a child component, so the signals it reads still update it.

import { Component, h, type ComponentType, type FunctionComponent } from 'preact';

/** Returns a component that renders `render` with its props, skipping renders whose props `same` finds unchanged. */
export function pure<P extends object>(render: FunctionComponent<P>, same: (previous: P, next: P) => boolean): ComponentType<P> {
  class Pure extends Component<P> {
    static displayName = `Pure(${render.displayName ?? render.name})`;

    override shouldComponentUpdate(next: P): boolean {
      return !same(this.props, next);
    }

    override render() {
      return h(render, this.props);
    }
  }
  return Pure;
}
