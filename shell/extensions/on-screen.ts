import { useEffect, useState, type RefObject } from 'react';

/**
 * True once the element has been on screen: a contribution loads its plugin's code (or opens its frame) only then,
 * so a dashboard of 200 widgets loads the few in view first and the rest as the user scrolls. Stays true after.
 */
export function useOnScreen(ref: RefObject<Element | null>): boolean {
  const [seen, setSeen] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (seen || !element) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setSeen(true);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, seen]);
  return seen;
}
