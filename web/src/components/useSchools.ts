import { useEffect, useState } from 'react';
import { api, type School } from '../api';

let cached: Promise<School[]> | undefined;

/** The public school registry, fetched once per page load. */
export function useSchools(): { data?: School[]; error?: string } {
  const [state, setState] = useState<{ data?: School[]; error?: string }>({});
  useEffect(() => {
    let live = true;
    cached ??= api.schools();
    cached
      .then((data) => live && setState({ data }))
      .catch(() => {
        cached = undefined;
        if (live) setState({ error: 'schools unavailable' });
      });
    return () => {
      live = false;
    };
  }, []);
  return state;
}
