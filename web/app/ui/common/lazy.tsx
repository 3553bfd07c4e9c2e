// Loads a screen's code on first render, keeping it out of the first
// download. The module promise is shared, so the import runs once.

import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export function lazyComponent<P extends object>(
  load: () => Promise<{ default: ComponentType<P> }>,
): ComponentType<P> {
  let module: Promise<{ default: ComponentType<P> }> | null = null;
  let loaded: ComponentType<P> | null = null;

  return function LazyComponent(props: P) {
    const [component, setComponent] = useState<ComponentType<P> | null>(() => loaded);

    useEffect(() => {
      if (component) return;
      module ??= load();
      let current = true;
      module
        .then((imported) => {
          loaded = imported.default;
          if (current) setComponent(() => imported.default);
        })
        .catch((error: unknown) => {
          module = null;
          console.error('[lazy] loading a screen failed', error);
        });
      return () => {
        current = false;
      };
    }, [component]);

    if (!component) return null;
    const Loaded = component;
    return <Loaded {...props} />;
  };
}
