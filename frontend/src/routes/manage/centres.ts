import { api, type Centre } from '../../lib/api';
import { session } from '../../lib/auth/session.svelte';

/** councilCentres lists the signed-in member of staff's council's centres, by name. */
export async function councilCentres(): Promise<Centre[]> {
  const councilId = session.user?.council_id;
  if (!councilId) return [];
  return (await api.centres.list({ council_id: councilId, limit: 500 })).items;
}

/** manages reports whether the signed-in person runs sessions and rotas. */
export function manages(): boolean {
  return session.is('centre_manager', 'council_officer');
}

/** runsCentres reports whether the signed-in person adds and changes their council's centres. */
export function runsCentres(): boolean {
  return session.is('council_officer');
}

/** runsCentre reports whether the signed-in person may change c: an officer of its council. */
export function runsCentre(c: Centre): boolean {
  return runsCentres() && !!c.council_id && session.user?.council_id === c.council_id;
}
