import { useEffect } from 'react';

/** Our own pages follow the system's light or dark (the sign-in screens' own bridge does the same once they show). */
export function useSystemTheme(): void {
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const scheme = matchMedia('(prefers-color-scheme: dark)');
    const apply = () => (document.documentElement.dataset['theme'] = scheme.matches ? 'dark' : 'light');
    apply();
    scheme.addEventListener('change', apply);
    return () => scheme.removeEventListener('change', apply);
  }, []);
}
