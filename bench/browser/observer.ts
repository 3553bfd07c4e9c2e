/** Returns a page script that records the performance.now() at which `selector` first matches `count` elements that are enabled. */
export function observerScript(selector: string, count: number, key: string): string {
  return `(() => {
    const check = () => {
      const found = document.querySelectorAll(${JSON.stringify(selector)});
      if (found.length < ${count} || found[${count - 1}].disabled) return false;
      window[${JSON.stringify(key)}] = performance.now();
      return true;
    };
    const start = () => {
      if (check()) return;
      const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
      observer.observe(document, { childList: true, subtree: true, attributes: true });
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
  })();`;
}
