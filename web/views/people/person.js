// person.js — '#/persons/ID': 一人一档, one person's page.
import { getJSON } from '../../api.js';
import { loading, errorAlert } from '../../ui/notice.js';
import { personCard } from './person-card.js';
import { personPoints, personDues } from './points.js';
import { personReviews } from './reviews.js';
import { caseActions, caseHistory } from '../pipeline.js';

export async function render(main, { params, signal, setTitle }) {
  main.append(loading());
  try {
    const p = await getJSON(`/api/v1/persons/${encodeURIComponent(params[0] ?? '')}`, { signal });
    setTitle?.(p.name);
    const party = p.memberships.some((m) => m.kind === 'party_member');
    main.replaceChildren(...[...personCard(p), caseActions(p, { signal }), caseHistory(p),
      ...(party ? [personPoints(p.id, { signal }), personDues(p.id, { signal })] : []), personReviews(p.id, { signal })].filter(Boolean));
  } catch (error) {
    if (!signal.aborted) main.replaceChildren(errorAlert(error));
  }
}
